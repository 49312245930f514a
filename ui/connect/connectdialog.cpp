#include "connectdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QUrl>

#include <qt6keychain/keychain.h>

namespace l0::ui {

namespace {
const QString kService = QStringLiteral("l0cache-console");
}

QString urlWithPassword(const QString &url, const QString &password)
{
    if (password.isEmpty() || !url.startsWith(QLatin1String("postgres")))
        return url;
    QUrl u(url);
    u.setPassword(password);
    return u.toString(QUrl::FullyEncoded);
}

QString redactedUrl(const QString &url)
{
    QUrl u(url);
    if (!url.startsWith(QLatin1String("postgres")) || u.password().isEmpty())
        return url;
    u.setPassword(QString());
    return u.toString();
}

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
    , m_profile(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember the password in the system keyring"), this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Connect to a store"));
    m_profile->setEditable(true);
    m_profile->setAccessibleName(tr("Profile"));
    m_url->setPlaceholderText(tr("postgresql://user@host:5432/l0  or  sqlite:/path/to/l0.sqlite"));
    m_url->setAccessibleName(tr("Store URL"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_message->setWordWrap(true);
    auto *browse = new QPushButton(tr("SQLite &file..."), this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Profile"), m_profile);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(browse);
    form->addRow(tr("&Store"), urlRow);
    form->addRow(tr("Pass&word"), m_password);
    form->addRow(QString(), m_remember);
    form->addRow(m_message);
    form->addRow(buttons);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open store"), QString(), tr("SQLite (*.sqlite *.db);;All files (*)"));
        if (!path.isEmpty())
            m_url->setText(QStringLiteral("sqlite:") + path);
    });
    connect(m_profile, &QComboBox::currentTextChanged, this, &ConnectDialog::selectProfile);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_url->text().trimmed().isEmpty()) {
            m_message->setText(tr("Give a store URL or choose a SQLite file."));
            return;
        }
        if (!m_profile->currentText().trimmed().isEmpty())
            saveProfile(m_profile->currentText().trimmed(), m_url->text().trimmed(), m_password->text(),
                m_remember->isChecked());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    loadProfiles();
}

QString ConnectDialog::url() const
{
    return urlWithPassword(m_url->text().trimmed(), m_password->text());
}

QString ConnectDialog::message() const
{
    return m_message->text();
}

QStringList ConnectDialog::profiles() const
{
    QSettings s;
    s.beginGroup(QStringLiteral("profiles"));
    return s.childGroups();
}

void ConnectDialog::loadProfiles()
{
    const QSignalBlocker block(m_profile);
    m_profile->clear();
    m_profile->addItems(profiles());
    QSettings s;
    const QString last = s.value(QStringLiteral("lastProfile")).toString();
    if (!last.isEmpty()) {
        m_profile->setCurrentText(last);
        selectProfile(last);
    }
}

void ConnectDialog::selectProfile(const QString &name)
{
    QSettings s;
    s.beginGroup(QStringLiteral("profiles/") + name);
    if (!s.contains(QStringLiteral("url")))
        return;
    m_url->setText(s.value(QStringLiteral("url")).toString());
    m_remember->setChecked(s.value(QStringLiteral("remember")).toBool());
    m_password->clear();
    if (!m_remember->isChecked())
        return;
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() == QKeychain::NoError)
            m_password->setText(job->textData());
        else
            m_message->setText(tr("The password is not in the system keyring (%1).").arg(job->errorString()));
        emit keyringDone(job->error() == QKeychain::NoError);
    });
    job->start();
}

void ConnectDialog::saveProfile(const QString &name, const QString &url, const QString &password, bool remember)
{
    QSettings s;
    // A password typed into the URL is not kept there.
    QUrl u(url);
    QString stored = url;
    if (url.startsWith(QLatin1String("postgres")) && !u.password().isEmpty()) {
        u.setPassword(QString());
        stored = u.toString();
    }
    s.setValue(QStringLiteral("profiles/%1/url").arg(name), stored);
    s.setValue(QStringLiteral("profiles/%1/remember").arg(name), remember);
    s.setValue(QStringLiteral("lastProfile"), name);
    s.sync();
    if (!remember || password.isEmpty()) {
        emit keyringDone(true);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(name);
    job->setTextData(password);
    // Never a plain-text fallback: without a keyring the password is simply not remembered.
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() != QKeychain::NoError)
            m_message->setText(tr("The password could not be stored in the system keyring (%1); it is not "
                                  "stored anywhere else.")
                                   .arg(job->errorString()));
        emit keyringDone(job->error() == QKeychain::NoError);
    });
    job->start();
}

} // namespace l0::ui
