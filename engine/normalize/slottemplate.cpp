#include "slottemplate.h"

#include <algorithm>

namespace l0 {

namespace {

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

// Calls visit(start, end, name) for each {name}; skips "{{" and "}}".
template <typename Visit> void scanPlaceholders(const QString &t, Visit visit)
{
    for (qsizetype i = 0; i < t.size(); ++i) {
        if (t.at(i) != QLatin1Char('{'))
            continue;
        if (i + 1 < t.size() && t.at(i + 1) == QLatin1Char('{')) {
            ++i;
            continue;
        }
        qsizetype j = i + 1;
        while (j < t.size() && isNameChar(t.at(j)))
            ++j;
        if (j > i + 1 && j < t.size() && t.at(j) == QLatin1Char('}')) {
            visit(i, j + 1, t.mid(i + 1, j - i - 1));
            i = j;
        }
    }
}

} // namespace

ProposedTemplate proposeTemplate(const QString &answer, const std::vector<SlotValue> &values)
{
    ProposedTemplate out;
    // Literal braces in the answer must stay literal once it is a template.
    QString text = answer;
    text.replace(QLatin1String("{"), QLatin1String("{{")).replace(QLatin1String("}"), QLatin1String("}}"));
    // Longer values first, so "ORD-12345" wins over a "12345" inside it.
    std::vector<SlotValue> sorted = values;
    std::stable_sort(sorted.begin(), sorted.end(),
        [](const SlotValue &a, const SlotValue &b) { return a.value.size() > b.value.size(); });
    for (const SlotValue &s : sorted) {
        if (s.value.trimmed().size() < 3)
            continue;
        const QString placeholder = QLatin1Char('{') + s.name + QLatin1Char('}');
        if (text.contains(s.value)) {
            text.replace(s.value, placeholder);
            if (!out.slotsUsed.contains(s.name))
                out.slotsUsed << s.name;
        }
    }
    out.text = out.changed() ? text : answer;
    return out;
}

QStringList templateSlots(const QString &text)
{
    QStringList names;
    scanPlaceholders(text, [&](qsizetype, qsizetype, const QString &name) {
        if (!names.contains(name))
            names << name;
    });
    return names;
}

std::optional<QString> fillTemplate(const QString &text, const std::vector<SlotValue> &values)
{
    QString out;
    qsizetype pos = 0;
    bool missing = false;
    bool any = false;
    auto literal = [](QString piece) {
        return piece.replace(QLatin1String("{{"), QLatin1String("{")).replace(QLatin1String("}}"), QLatin1String("}"));
    };
    scanPlaceholders(text, [&](qsizetype start, qsizetype end, const QString &name) {
        any = true;
        out += literal(text.mid(pos, start - pos));
        auto it = std::find_if(values.begin(), values.end(), [&](const SlotValue &s) { return s.name == name; });
        if (it == values.end())
            missing = true;
        else
            out += it->value;
        pos = end;
    });
    if (missing)
        return std::nullopt;
    if (!any)
        return text;
    out += literal(text.mid(pos));
    return out;
}

} // namespace l0
