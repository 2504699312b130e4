#include "window/pgconnectdialog.h"

#include "base/errors.h"
#include "base/style.h"
#include "store/postgres/pglocation.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace chronoscope {

QString pgConnectUrl(const PgConnectFields& fields)
{
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setUserName(fields.user.trimmed(), QUrl::DecodedMode);
    if (!fields.password.isEmpty())
        url.setPassword(fields.password, QUrl::DecodedMode);
    url.setHost(fields.host.trimmed());
    url.setPort(fields.port);
    url.setPath(QLatin1Char('/') + fields.database.trimmed(), QUrl::DecodedMode);
    const QString schema = fields.schema.trimmed();
    if (!schema.isEmpty() && schema != QLatin1String("public"))
        url.setQuery(QStringLiteral("schema=") + QString::fromUtf8(QUrl::toPercentEncoding(schema)));
    return url.toString(QUrl::FullyEncoded);
}

QString pgUrlWithoutPassword(const QString& url)
{
    auto fields = pgConnectFields(url);
    if (!fields)
        return QString();
    fields->password.clear();
    return pgConnectUrl(*fields);
}

std::optional<PgConnectFields> pgConnectFields(const QString& url)
{
    try {
        const auto location = parsePgUrl(url);
        PgConnectFields fields;
        fields.host = location.host;
        fields.port = location.port;
        fields.database = location.database;
        fields.user = location.user;
        fields.schema = location.schema == QLatin1String("public") ? QString() : location.schema;
        fields.password = location.password;
        return fields;
    } catch (const StoreError&) {
        return std::nullopt;
    }
}

PgConnectDialog::PgConnectDialog(QWidget* parent)
    : QDialog(parent)
    , m_host(new QLineEdit)
    , m_port(new QSpinBox)
    , m_database(new QLineEdit)
    , m_user(new QLineEdit)
    , m_schema(new QLineEdit)
    , m_password(new QLineEdit)
    , m_preview(new QLabel)
    , m_message(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Connect to PostgreSQL"));
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_port->setGroupSeparatorShown(false);
    m_schema->setPlaceholderText(tr("public"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("not stored; asked again next time"));
    m_database->setPlaceholderText(tr("required"));
    m_user->setPlaceholderText(tr("required"));

    auto* form = new QFormLayout;
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("P&ort:"), m_port);
    form->addRow(tr("&Database:"), m_database);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Schema:"), m_schema);
    form->addRow(tr("&Password:"), m_password);

    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setWordWrap(true);
    m_preview->setEnabled(false);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("C&onnect"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* note = new QLabel(tr("Chronoscope's own store, Emmett or Marten tables are detected. Foreign "
                               "stores open read-only. The password is never saved."));
    note->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addLayout(form);
    layout->addWidget(m_preview);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    for (QLineEdit* edit : {m_host, m_database, m_user, m_schema, m_password})
        connect(edit, &QLineEdit::textChanged, this, &PgConnectDialog::updateState);
    connect(m_port, &QSpinBox::valueChanged, this, &PgConnectDialog::updateState);
    setFields(PgConnectFields {});
    setMinimumWidth(440);
}

void PgConnectDialog::setFields(const PgConnectFields& fields)
{
    m_host->setText(fields.host);
    m_port->setValue(fields.port);
    m_database->setText(fields.database);
    m_user->setText(fields.user);
    m_schema->setText(fields.schema);
    m_password->setText(fields.password);
    updateState();
}

PgConnectFields PgConnectDialog::fields() const
{
    PgConnectFields fields;
    fields.host = m_host->text().trimmed();
    fields.port = m_port->value();
    fields.database = m_database->text().trimmed();
    fields.user = m_user->text().trimmed();
    fields.schema = m_schema->text().trimmed();
    fields.password = m_password->text();
    return fields;
}

QString PgConnectDialog::urlWithoutPassword() const
{
    auto f = fields();
    f.password.clear();
    return pgConnectUrl(f);
}

void PgConnectDialog::askPasswordFor(const QString& url, const QString& why)
{
    if (const auto fields = pgConnectFields(url)) {
        auto f = *fields;
        f.password.clear();
        setFields(f);
    }
    setMessage(why.isEmpty() ? tr("Enter the password for %1 (leave it empty if the server needs none).")
                                   .arg(urlWithoutPassword())
                             : why,
        !why.isEmpty());
    m_password->setFocus(Qt::OtherFocusReason);
}

void PgConnectDialog::setMessage(const QString& message, bool error)
{
    m_message->setText(message);
    style::setTone(m_message, error ? style::Tone::Error : style::Tone::Plain);
    m_message->setVisible(!message.isEmpty());
}

void PgConnectDialog::updateState()
{
    const auto f = fields();
    QString missing;
    if (f.host.isEmpty())
        missing = tr("a host");
    else if (f.database.isEmpty())
        missing = tr("a database");
    else if (f.user.isEmpty())
        missing = tr("a user");
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(missing.isEmpty());
    m_preview->setText(missing.isEmpty() ? tr("Opens %1").arg(urlWithoutPassword())
                                         : tr("Enter %1 to connect.").arg(missing));
}

} // namespace chronoscope
