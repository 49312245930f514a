#pragma once

#include <QHash>
#include <QWidget>

#include "workerthread.h"
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QThread;

namespace l0 {
class Store;
class IntentMatcher;
} // namespace l0

namespace l0::ui {

struct BenchResult {
    QString tenant;
    QString query;
    QString pack; // the tenant's active pack, empty when it has none
    QStringList steps; // every normalization step
    QString intent;
    bool abstained = true;
    QString key; // the L0 key the node would look up
    QString entry; // "ENTRY@VERSION state" of what it would hit, empty: a miss
    QString error;
};

// Explains one query against a tenant's active rule pack, off the GUI thread.
class RuleBenchWorker final : public QObject {
    Q_OBJECT
public:
    explicit RuleBenchWorker(QString url);
    ~RuleBenchWorker() override;
public slots:
    void listTenants();
    void explain(const QString &tenant, const QString &ns, const QString &query);
signals:
    void tenants(const QStringList &names);
    void explained(const l0::ui::BenchResult &result);

private:
    LazyStore m_store;
    QHash<QString, std::shared_ptr<const IntentMatcher>> m_matchers; // by pack id
};

// The rule bench: type a query, see each normalization step, the intent, the key and the entry
// it would hit, under the tenant's active pack.
class RuleBenchWidget final : public QWidget {
    Q_OBJECT
public:
    explicit RuleBenchWidget(QWidget *parent = nullptr);
    ~RuleBenchWidget() override;
    void setStore(const QString &url);
    void explain(const QString &tenant, const QString &query);
    const BenchResult &result() const { return m_result; }

signals:
    void shown();
    void requestTenants();
    void requestExplain(const QString &tenant, const QString &ns, const QString &query);

private:
    void show(const BenchResult &r);
    QThread *m_thread = nullptr;
    RuleBenchWorker *m_worker = nullptr;
    BenchResult m_result;
    QComboBox *m_tenant;
    QLineEdit *m_ns;
    QLineEdit *m_query;
    QLabel *m_summary;
    QPlainTextEdit *m_steps;
};

} // namespace l0::ui

Q_DECLARE_METATYPE(l0::ui::BenchResult)
