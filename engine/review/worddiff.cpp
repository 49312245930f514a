#include "worddiff.h"

#include <QHash>

#include <algorithm>

namespace l0 {

namespace {

// Tokens: a run of letters/digits, a run of spaces/tabs, a line break, or one other character.
QStringList tokenize(const QString &t)
{
    QStringList out;
    qsizetype i = 0;
    while (i < t.size()) {
        const QChar c = t.at(i);
        qsizetype j = i + 1;
        if (c == QLatin1Char('\r') && j < t.size() && t.at(j) == QLatin1Char('\n')) {
            j = i + 2;
        } else if (c.isLetterOrNumber() || c.isMark()) {
            while (j < t.size() && (t.at(j).isLetterOrNumber() || t.at(j).isMark() || t.at(j).isLowSurrogate()))
                ++j;
        } else if (c == QLatin1Char(' ') || c == QLatin1Char('\t')) {
            while (j < t.size() && (t.at(j) == QLatin1Char(' ') || t.at(j) == QLatin1Char('\t')))
                ++j;
        } else if (c.isHighSurrogate() && j < t.size()) {
            ++j;
        }
        out << t.mid(i, j - i);
        i = j;
    }
    return out;
}

QStringList splitLines(const QString &t)
{
    QStringList out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < t.size(); ++i) {
        if (t.at(i) == QLatin1Char('\n')) {
            out << t.mid(start, i + 1 - start);
            start = i + 1;
        }
    }
    if (start < t.size())
        out << t.mid(start);
    return out;
}

// Myers' O(ND) shortest edit script over interned token ids. Returns, for a, which elements
// are kept (matched) and the same for b. Bails out (all changed) past maxD.
bool myers(
    const std::vector<int> &a, const std::vector<int> &b, std::vector<bool> &keepA, std::vector<bool> &keepB, long maxD)
{
    const long n = long(a.size()), m = long(b.size());
    keepA.assign(size_t(n), false);
    keepB.assign(size_t(m), false);
    const long max = std::min(n + m, maxD);
    const long offset = max + 1;
    std::vector<long> v(size_t(2 * max + 3), 0);
    std::vector<std::vector<long>> trace;
    long dFound = -1;
    for (long d = 0; d <= max; ++d) {
        trace.push_back(v);
        for (long k = -d; k <= d; k += 2) {
            long x;
            if (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                x = v[size_t(offset + k + 1)];
            else
                x = v[size_t(offset + k - 1)] + 1;
            long y = x - k;
            while (x < n && y < m && a[size_t(x)] == b[size_t(y)]) {
                ++x;
                ++y;
            }
            v[size_t(offset + k)] = x;
            if (x >= n && y >= m) {
                dFound = d;
                break;
            }
        }
        if (dFound >= 0)
            break;
    }
    if (dFound < 0)
        return false;
    // Walk back through the saved frontiers, marking the diagonal (matched) moves.
    long x = n, y = m;
    for (long d = dFound; d >= 0; --d) {
        const std::vector<long> &vv = trace[size_t(d)];
        const long k = x - y;
        long prevK;
        if (d == 0)
            prevK = 0;
        else if (k == -d || (k != d && vv[size_t(offset + k - 1)] < vv[size_t(offset + k + 1)]))
            prevK = k + 1;
        else
            prevK = k - 1;
        const long prevX = d == 0 ? 0 : vv[size_t(offset + prevK)];
        const long prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            --x;
            --y;
            keepA[size_t(x)] = true;
            keepB[size_t(y)] = true;
        }
        if (d > 0) {
            x = prevX;
            y = prevY;
        }
    }
    return true;
}

void appendOp(std::vector<DiffOp> &ops, DiffOp::Kind kind, const QString &text)
{
    if (text.isEmpty())
        return;
    if (!ops.empty() && ops.back().kind == kind)
        ops.back().text += text;
    else
        ops.push_back(DiffOp { kind, text });
}

// Diff of two token lists, appended to ops (deletions before insertions inside a change).
void diffTokens(const QStringList &a, const QStringList &b, std::vector<DiffOp> &ops, long maxD)
{
    QHash<QString, int> ids;
    std::vector<int> ia, ib;
    ia.reserve(size_t(a.size()));
    ib.reserve(size_t(b.size()));
    auto intern = [&ids](const QString &t) {
        auto it = ids.constFind(t);
        if (it == ids.constEnd())
            it = ids.insert(t, int(ids.size()));
        return *it;
    };
    for (const QString &t : a)
        ia.push_back(intern(t));
    for (const QString &t : b)
        ib.push_back(intern(t));
    std::vector<bool> ka, kb;
    if (!myers(ia, ib, ka, kb, maxD)) {
        appendOp(ops, DiffOp::Delete, a.join(QString()));
        appendOp(ops, DiffOp::Insert, b.join(QString()));
        return;
    }
    qsizetype i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        QString del, ins;
        while (i < a.size() && !ka[size_t(i)])
            del += a[i++];
        while (j < b.size() && !kb[size_t(j)])
            ins += b[j++];
        appendOp(ops, DiffOp::Delete, del);
        appendOp(ops, DiffOp::Insert, ins);
        QString eq;
        while (i < a.size() && j < b.size() && ka[size_t(i)] && kb[size_t(j)]) {
            eq += a[i++];
            ++j;
        }
        appendOp(ops, DiffOp::Equal, eq);
    }
}

} // namespace

std::vector<DiffOp> wordDiff(const QString &oldText, const QString &newText)
{
    std::vector<DiffOp> ops;
    const QStringList la = splitLines(oldText), lb = splitLines(newText);
    QHash<QString, int> ids;
    std::vector<int> ia, ib;
    auto intern = [&ids](const QString &t) {
        auto it = ids.constFind(t);
        if (it == ids.constEnd())
            it = ids.insert(t, int(ids.size()));
        return *it;
    };
    for (const QString &l : la)
        ia.push_back(intern(l));
    for (const QString &l : lb)
        ib.push_back(intern(l));
    std::vector<bool> ka, kb;
    if (!myers(ia, ib, ka, kb, 20'000)) {
        ka.assign(ia.size(), false);
        kb.assign(ib.size(), false);
    }
    qsizetype i = 0, j = 0;
    while (i < la.size() || j < lb.size()) {
        QStringList delLines, insLines;
        while (i < la.size() && !ka[size_t(i)])
            delLines << la[i++];
        while (j < lb.size() && !kb[size_t(j)])
            insLines << lb[j++];
        if (!delLines.isEmpty() || !insLines.isEmpty()) {
            // Words inside the changed block; very different blocks stay whole (bounded work).
            const QStringList ta = tokenize(delLines.join(QString())), tb = tokenize(insLines.join(QString()));
            diffTokens(ta, tb, ops, 4000);
        }
        QString eq;
        while (i < la.size() && j < lb.size() && ka[size_t(i)] && kb[size_t(j)]) {
            eq += la[i++];
            ++j;
        }
        appendOp(ops, DiffOp::Equal, eq);
    }
    return ops;
}

std::vector<DiffRow> sideBySide(const std::vector<DiffOp> &ops)
{
    std::vector<DiffRow> rows;
    // Lines of the current block on each side, with their changed ranges.
    struct Side {
        std::vector<QString> lines { QString() };
        std::vector<std::vector<std::pair<qsizetype, qsizetype>>> changed { {} };
        void add(const QString &text, bool isChange)
        {
            qsizetype start = 0;
            for (qsizetype i = 0; i <= text.size(); ++i) {
                const bool end = i == text.size();
                if (!end && text.at(i) != QLatin1Char('\n'))
                    continue;
                const QString piece = text.mid(start, end ? i - start : i + 1 - start);
                if (isChange && !piece.isEmpty()) {
                    const qsizetype from = lines.back().size();
                    changed.back().emplace_back(from, from + piece.size());
                }
                lines.back() += piece;
                if (!end) {
                    lines.emplace_back();
                    changed.emplace_back();
                }
                start = i + 1;
            }
        }
    };
    Side left, right;
    auto flush = [&](bool final) {
        // Complete lines (all but the last, unless final) are paired and emitted.
        const size_t nl = left.lines.size() - (final ? 0 : 1), nr = right.lines.size() - (final ? 0 : 1);
        const size_t n = std::max(nl, nr);
        for (size_t k = 0; k < n; ++k) {
            DiffRow r;
            r.leftPresent = k < nl;
            r.rightPresent = k < nr;
            if (r.leftPresent) {
                r.left = left.lines[k];
                r.leftChanged = left.changed[k];
            }
            if (r.rightPresent) {
                r.right = right.lines[k];
                r.rightChanged = right.changed[k];
            }
            if (final && r.left.isEmpty() && r.right.isEmpty() && r.leftChanged.empty() && r.rightChanged.empty())
                continue;
            rows.push_back(std::move(r));
        }
        left.lines.erase(left.lines.begin(), left.lines.begin() + qsizetype(nl));
        left.changed.erase(left.changed.begin(), left.changed.begin() + qsizetype(nl));
        right.lines.erase(right.lines.begin(), right.lines.begin() + qsizetype(nr));
        right.changed.erase(right.changed.begin(), right.changed.begin() + qsizetype(nr));
        if (left.lines.empty()) {
            left.lines.emplace_back();
            left.changed.emplace_back();
        }
        if (right.lines.empty()) {
            right.lines.emplace_back();
            right.changed.emplace_back();
        }
    };
    for (const DiffOp &op : ops) {
        if (op.kind == DiffOp::Equal) {
            // Lines the changed block completed are paired before shared text continues.
            flush(false);
            // Equal text ends a block at its first line break: pair what the block had.
            const qsizetype nl = op.text.indexOf(QLatin1Char('\n'));
            if (nl < 0) {
                left.add(op.text, false);
                right.add(op.text, false);
                continue;
            }
            left.add(op.text.left(nl + 1), false);
            right.add(op.text.left(nl + 1), false);
            flush(false);
            left.add(op.text.mid(nl + 1), false);
            right.add(op.text.mid(nl + 1), false);
            flush(false);
        } else if (op.kind == DiffOp::Delete) {
            left.add(op.text, true);
        } else {
            right.add(op.text, true);
        }
    }
    flush(true);
    return rows;
}

std::vector<int> changeStarts(const std::vector<DiffRow> &rows)
{
    std::vector<int> out;
    for (int i = 0; i < int(rows.size()); ++i) {
        if (rows[size_t(i)].changed() && (i == 0 || !rows[size_t(i - 1)].changed()))
            out.push_back(i);
    }
    return out;
}

} // namespace l0
