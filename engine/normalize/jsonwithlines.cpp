#include "jsonwithlines.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace l0 {

namespace {

class Parser {
public:
    Parser(const QByteArray &text, QHash<QString, int> *lines)
        : m_s(text)
        , m_lines(lines)
    {
    }

    Result<QJsonValue> document()
    {
        auto v = value(QString());
        if (!v)
            return v;
        skipSpace();
        if (m_i < m_s.size())
            return fail(QStringLiteral("unexpected text after the JSON value"));
        return v;
    }

private:
    Error fail(const QString &what) const
    {
        int line = 1, col = 1;
        for (qsizetype k = 0; k < m_i && k < m_s.size(); ++k) {
            if (m_s[k] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("line %1, column %2: %3").arg(line).arg(col).arg(what));
    }
    int line() const
    {
        int l = 1;
        for (qsizetype k = m_lineScan; k < m_i; ++k)
            m_lineCount += m_s[k] == '\n' ? 1 : 0;
        m_lineScan = qMax(m_lineScan, m_i);
        l += m_lineCount;
        return l;
    }
    void skipSpace()
    {
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r'))
            ++m_i;
    }
    Result<QJsonValue> value(const QString &path)
    {
        if (++m_depth > 256)
            return fail(QStringLiteral("nested too deeply"));
        skipSpace();
        if (m_i >= m_s.size())
            return fail(QStringLiteral("unexpected end of input"));
        m_lines->insert(path, line());
        Result<QJsonValue> out = QJsonValue();
        const char c = m_s[m_i];
        if (c == '{')
            out = object(path);
        else if (c == '[')
            out = array(path);
        else if (c == '"') {
            auto s = string();
            out = s ? Result<QJsonValue>(QJsonValue(*s)) : Result<QJsonValue>(s.error());
        } else
            out = scalar();
        --m_depth;
        return out;
    }
    Result<QJsonValue> object(const QString &path)
    {
        ++m_i;
        QJsonObject o;
        skipSpace();
        if (m_i < m_s.size() && m_s[m_i] == '}') {
            ++m_i;
            return QJsonValue(o);
        }
        for (;;) {
            skipSpace();
            if (m_i >= m_s.size() || m_s[m_i] != '"')
                return fail(QStringLiteral("expected a quoted member name"));
            auto key = string();
            if (!key)
                return key.error();
            if (o.contains(*key))
                return fail(QStringLiteral("duplicate member \"%1\"").arg(*key));
            skipSpace();
            if (m_i >= m_s.size() || m_s[m_i] != ':')
                return fail(QStringLiteral("expected ':' after \"%1\"").arg(*key));
            ++m_i;
            auto v = value(path.isEmpty() ? *key : path + QLatin1Char('.') + *key);
            if (!v)
                return v;
            o.insert(*key, *v);
            skipSpace();
            if (m_i < m_s.size() && m_s[m_i] == ',') {
                ++m_i;
                continue;
            }
            if (m_i < m_s.size() && m_s[m_i] == '}') {
                ++m_i;
                return QJsonValue(o);
            }
            return fail(QStringLiteral("expected ',' or '}'"));
        }
    }
    Result<QJsonValue> array(const QString &path)
    {
        ++m_i;
        QJsonArray a;
        skipSpace();
        if (m_i < m_s.size() && m_s[m_i] == ']') {
            ++m_i;
            return QJsonValue(a);
        }
        for (;;) {
            auto v = value(path + QStringLiteral("[%1]").arg(a.size()));
            if (!v)
                return v;
            a.append(*v);
            skipSpace();
            if (m_i < m_s.size() && m_s[m_i] == ',') {
                ++m_i;
                continue;
            }
            if (m_i < m_s.size() && m_s[m_i] == ']') {
                ++m_i;
                return QJsonValue(a);
            }
            return fail(QStringLiteral("expected ',' or ']'"));
        }
    }
    Result<QString> string()
    {
        const qsizetype start = m_i;
        ++m_i;
        while (m_i < m_s.size() && m_s[m_i] != '"') {
            if (m_s[m_i] == '\\')
                ++m_i;
            else if (static_cast<unsigned char>(m_s[m_i]) < 0x20)
                return fail(QStringLiteral("control character in a string"));
            ++m_i;
        }
        if (m_i >= m_s.size())
            return fail(QStringLiteral("unterminated string"));
        ++m_i;
        // Let Qt decode escapes and check them.
        const QByteArray wrapped = '[' + m_s.mid(start, m_i - start) + ']';
        QJsonParseError err {};
        const QJsonDocument d = QJsonDocument::fromJson(wrapped, &err);
        if (err.error != QJsonParseError::NoError) {
            m_i = start;
            return fail(QStringLiteral("bad string: %1").arg(err.errorString()));
        }
        return d.array().at(0).toString();
    }
    Result<QJsonValue> scalar()
    {
        const qsizetype start = m_i;
        while (m_i < m_s.size() && !QByteArrayView(",]} \t\r\n").contains(m_s[m_i]))
            ++m_i;
        const QByteArray token = m_s.mid(start, m_i - start);
        if (token == "true")
            return QJsonValue(true);
        if (token == "false")
            return QJsonValue(false);
        if (token == "null")
            return QJsonValue();
        QJsonParseError err {};
        const QJsonDocument d = QJsonDocument::fromJson('[' + token + ']', &err);
        if (err.error != QJsonParseError::NoError || token.isEmpty()) {
            m_i = start;
            return fail(QStringLiteral("unexpected '%1'").arg(QString::fromUtf8(token.left(20))));
        }
        return d.array().at(0);
    }

    const QByteArray &m_s;
    QHash<QString, int> *m_lines;
    qsizetype m_i = 0;
    int m_depth = 0;
    mutable qsizetype m_lineScan = 0;
    mutable int m_lineCount = 0;
};

} // namespace

Result<JsonWithLines> JsonWithLines::parse(const QByteArray &text)
{
    JsonWithLines out;
    Parser p(text, &out.lines);
    auto v = p.document();
    if (!v)
        return v.error();
    out.root = *v;
    return out;
}

int JsonWithLines::lineOf(const QString &path) const
{
    QString p = path;
    for (;;) {
        auto it = lines.constFind(p);
        if (it != lines.constEnd())
            return *it;
        const qsizetype cut = qMax(p.lastIndexOf(QLatin1Char('.')), p.lastIndexOf(QLatin1Char('[')));
        if (cut <= 0)
            return lines.value(QString(), 1);
        p = p.left(cut);
    }
}

} // namespace l0
