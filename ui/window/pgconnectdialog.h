#pragma once

#include <QDialog>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace chronoscope {

/// What a PostgreSQL connection is made of, as a person types it in the connect dialog.
struct PgConnectFields {
    QString host = QStringLiteral("localhost");
    int port = 5432;
    QString database;
    QString user;
    QString schema; ///< empty: "public"
    QString password;
};

/// The postgresql:// URL of the fields (user, password and names percent-encoded; no
/// `?schema=` for an empty schema or "public"). Contains the password when one is given.
QString pgConnectUrl(const PgConnectFields& fields);
/// The same URL with no password at all: what the recent-files list and settings keep.
QString pgUrlWithoutPassword(const QString& url);
/// The fields of a postgresql:// URL (nullopt when it is not a valid one).
std::optional<PgConnectFields> pgConnectFields(const QString& url);

/// File ▸ Connect to PostgreSQL…: host, port, database, user, optional schema and password.
/// The window builds the URL with url() and opens it; the password never leaves the dialog
/// except inside that URL (it is not stored anywhere).
class PgConnectDialog : public QDialog {
    Q_OBJECT
public:
    explicit PgConnectDialog(QWidget* parent = nullptr);

    void setFields(const PgConnectFields& fields);
    PgConnectFields fields() const;
    /// The URL to open, with the password.
    QString url() const { return pgConnectUrl(fields()); }
    /// The URL without the password (for recent files and titles).
    QString urlWithoutPassword() const;

    /// Prefills from a URL (e.g. a recent entry) and puts the focus in the password box.
    void askPasswordFor(const QString& url, const QString& why = {});
    /// A line shown above the buttons (e.g. why the last attempt failed); empty hides it.
    void setMessage(const QString& message, bool error = true);

    QLineEdit* hostEdit() const { return m_host; }
    QSpinBox* portBox() const { return m_port; }
    QLineEdit* databaseEdit() const { return m_database; }
    QLineEdit* userEdit() const { return m_user; }
    QLineEdit* schemaEdit() const { return m_schema; }
    QLineEdit* passwordEdit() const { return m_password; }

private:
    void updateState();

    QLineEdit* m_host;
    QSpinBox* m_port;
    QLineEdit* m_database;
    QLineEdit* m_user;
    QLineEdit* m_schema;
    QLineEdit* m_password;
    QLabel* m_preview;
    QLabel* m_message;
    QDialogButtonBox* m_buttons;
};

} // namespace chronoscope
