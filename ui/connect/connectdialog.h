#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace l0::ui {

// Connect to a store: a PostgreSQL URL or a SQLite file, remembered as named profiles. The
// profile (URL without password, user) is kept in QSettings; the password goes to the system
// keyring through QtKeychain and nowhere else: without a keyring it is simply not remembered.
class ConnectDialog final : public QDialog {
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget *parent = nullptr);

    // The URL to open, password included (held in memory only).
    QString url() const;
    QStringList profiles() const;
    void selectProfile(const QString &name);
    // Saves the selected profile; the password to the keyring when "remember" is on.
    void saveProfile(const QString &name, const QString &url, const QString &password, bool remember);
    QString message() const;

signals:
    void keyringDone(bool ok); // a keyring read or write finished

private:
    void loadProfiles();
    QComboBox *m_profile;
    QLineEdit *m_url;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_message;
};

// The URL with the password put in (postgresql://user:PASSWORD@host/db); unchanged for SQLite
// or without a password.
QString urlWithPassword(const QString &url, const QString &password);
// The URL to show: any password taken out.
QString redactedUrl(const QString &url);

} // namespace l0::ui
