#include "csv.h"

namespace l0 {

Result<std::vector<QStringList>> parseCsv(const QByteArray &csv)
{
    const QString text = QString::fromUtf8(csv);
    std::vector<QStringList> records;
    QStringList fields;
    QString field;
    bool quoted = false, fieldStarted = false;
    int line = 1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"') && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
        } else if (c == QLatin1Char(',')) {
            fields << field;
            field.clear();
            fieldStarted = false;
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            fields << field;
            if (!(fields.size() == 1 && fields.first().isEmpty()))
                records.push_back(fields);
            fields.clear();
            field.clear();
            fieldStarted = false;
            ++line;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted)
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("CSV: unterminated quoted field at line %1").arg(line));
    if (fieldStarted || !fields.isEmpty()) {
        fields << field;
        records.push_back(fields);
    }
    return records;
}

} // namespace l0
