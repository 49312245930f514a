#include "rulebenchwidget.h"
#include "workerthread.h"

#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "cache/l0key.h"
#include "normalize/intentmatcher.h"
#include "normalize/packreads.h"
#include "normalize/rulepack.h"
#include "review/entryreads.h"

namespace l0::ui {

RuleBenchWorker::RuleBenchWorker(QString url)
    : m_store(std::move(url))
{
}

RuleBenchWorker::~RuleBenchWorker() = default;

void RuleBenchWorker::listTenants()
{
    QString error;
    Store *store = m_store.get(&error);
    if (!store)
        return;
    auto t = store->tenants();
    if (!t) {
        m_store.reset();
        return;
    }
    QStringList names;
    for (const Tenant &tenant : *t)
        names << tenant.name;
    emit tenants(names);
}

void RuleBenchWorker::explain(const QString &tenantName, const QString &ns, const QString &query)
{
    BenchResult r;
    r.tenant = tenantName;
    r.query = query;
    Store *store = m_store.get(&r.error);
    if (!store) {
        emit explained(r);
        return;
    }
    auto tenant = store->tenantByName(tenantName);
    if (!tenant) {
        if (tenant.error().code != ErrorCode::NotFound)
            m_store.reset(); // the database may have gone away: reconnect next time
        r.error = tenant.error().message;
        emit explained(r);
        return;
    }
    auto pack = activeRulePackContent(store->session(), tenant->id);
    if (!pack)
        m_store.reset();
    if (!pack || !*pack) {
        r.error
            = pack ? tr("tenant %1 has no active rule pack: L0 is off for it").arg(tenantName) : pack.error().message;
        emit explained(r);
        return;
    }
    auto parsed = RulePack::fromJson(**pack);
    if (!parsed) {
        r.error = parsed.error().message;
        emit explained(r);
        return;
    }
    auto &matcher = m_matchers[(*parsed)->id()];
    if (!matcher)
        matcher = std::make_shared<const IntentMatcher>(*parsed);
    r.pack = (*parsed)->id();
    const IntentMatch m = matcher->match(query, &r.steps);
    r.abstained = m.abstained;
    r.intent = m.intent;
    if (!m.abstained) {
        ChatRequest request;
        request.messages.append(
            QJsonObject { { QStringLiteral("role"), QStringLiteral("user") }, { QStringLiteral("content"), query } });
        r.key = QString::fromLatin1(l0KeyFor(*tenant, ns, r.pack, request, m));
        auto hit = versionForKey(store->session(), tenant->id, ns, Tier::L0, r.key);
        if (hit && *hit)
            r.entry = QStringLiteral("%1@%2 %3")
                          .arg(QString::number((*hit)->entryId), QString::number((*hit)->version), (*hit)->state);
    }
    emit explained(r);
}

RuleBenchWidget::RuleBenchWidget(QWidget *parent)
    : QWidget(parent)
    , m_tenant(new QComboBox(this))
    , m_ns(new QLineEdit(this))
    , m_query(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_steps(new QPlainTextEdit(this))
{
    qRegisterMetaType<BenchResult>();
    m_tenant->setAccessibleName(tr("Tenant"));
    m_ns->setPlaceholderText(tr("(default namespace)"));
    m_ns->setAccessibleName(tr("Namespace"));
    m_query->setPlaceholderText(tr("Type a query and press Enter"));
    m_query->setAccessibleName(tr("Query"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("Result"));
    m_steps->setReadOnly(true);
    m_steps->setAccessibleName(tr("Normalization steps"));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_steps->setFont(mono);
    auto *go = new QPushButton(tr("&Explain"), this);
    auto *form = new QFormLayout;
    form->addRow(tr("&Tenant"), m_tenant);
    form->addRow(tr("&Namespace"), m_ns);
    auto *row = new QHBoxLayout;
    row->addWidget(m_query, 1);
    row->addWidget(go);
    auto *queryLabel = new QLabel(tr("&Query"), this);
    queryLabel->setBuddy(m_query); // a row of two widgets gets no buddy by itself
    form->addRow(queryLabel, row);
    auto *v = new QVBoxLayout(this);
    v->addLayout(form);
    v->addWidget(m_summary);
    v->addWidget(m_steps, 1);
    auto run = [this] { emit requestExplain(m_tenant->currentText(), m_ns->text().trimmed(), m_query->text()); };
    connect(go, &QPushButton::clicked, this, run);
    connect(m_query, &QLineEdit::returnPressed, this, run);
}

RuleBenchWidget::~RuleBenchWidget()
{
    stopWorkerThread(m_thread);
}

void RuleBenchWidget::setStore(const QString &url)
{
    stopWorkerThread(m_thread);
    m_worker = new RuleBenchWorker(url);
    m_thread = newWorkerThread(this, m_worker, QStringLiteral("rulebench"));
    connect(this, &RuleBenchWidget::requestTenants, m_worker, &RuleBenchWorker::listTenants);
    connect(this, &RuleBenchWidget::requestExplain, m_worker, &RuleBenchWorker::explain);
    connect(m_worker, &RuleBenchWorker::tenants, this, [this](const QStringList &names) {
        const QString keep = m_tenant->currentText();
        m_tenant->clear();
        m_tenant->addItems(names);
        if (!keep.isEmpty())
            m_tenant->setCurrentText(keep);
    });
    connect(m_worker, &RuleBenchWorker::explained, this, &RuleBenchWidget::show);
    m_thread->start();
    emit requestTenants();
}

void RuleBenchWidget::explain(const QString &tenant, const QString &query)
{
    emit requestExplain(tenant, QString(), query);
}

void RuleBenchWidget::show(const BenchResult &r)
{
    m_result = r;
    if (!r.error.isEmpty()) {
        m_summary->setText(tr("<span style=\"color:#b3261e\">%1</span>").arg(r.error.toHtmlEscaped()));
        m_steps->clear();
    } else {
        QString s = tr("Pack <b>%1</b>: ").arg(r.pack.toHtmlEscaped());
        if (r.abstained)
            s += tr("abstains (no intent is sure enough): the request goes to the exact tier and upstream.");
        else
            s += tr("intent <b>%1</b>, key <code>%2</code>, ").arg(r.intent.toHtmlEscaped(), r.key)
                + (r.entry.isEmpty() ? tr("no entry yet: a miss.") : tr("hits entry <b>%1</b>.").arg(r.entry));
        m_summary->setText(s);
        m_steps->setPlainText(r.steps.join(QLatin1Char('\n')));
    }
    emit shown();
}

} // namespace l0::ui
