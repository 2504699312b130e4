#include "store/postgres/pglocation.h"

#include "base/errors.h"

#include <QUrl>
#include <QUrlQuery>

namespace chronoscope {

namespace {
QString redacted(const QString& url)
{
    // Never echo a password back, even from a URL too broken for QUrl.
    const auto scheme = url.indexOf(QLatin1String("://"));
    const auto at = url.lastIndexOf(QLatin1Char('@'));
    if (scheme < 0 || at < scheme)
        return url;
    const auto colon = url.indexOf(QLatin1Char(':'), scheme + 3);
    if (colon < 0 || colon > at)
        return url;
    return url.left(colon + 1) + QStringLiteral("***") + url.mid(at);
}
} // namespace

QString PgLocation::display() const
{
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setUserName(user);
    if (!password.isEmpty())
        url.setPassword(QStringLiteral("***"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(QLatin1Char('/') + database);
    if (schema != QLatin1String("public"))
        url.setQuery(QStringLiteral("schema=") + schema);
    return url.toString();
}

bool isPostgresUrl(const QString& text)
{
    return text.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive)
        || text.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

PgLocation parsePgUrl(const QString& text)
{
    const auto shown = redacted(text);
    const auto fail = [&shown](const QString& what) {
        return OpenError(QStringLiteral("'%1' is not a valid PostgreSQL URL: %2 (expected "
                                        "postgresql://user[:password]@host:port/database[?schema=S])")
                             .arg(shown, what));
    };
    if (!isPostgresUrl(text))
        throw fail(QStringLiteral("it must start with postgresql://"));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        throw fail(redacted(url.errorString()));
    PgLocation location;
    location.user = url.userName(QUrl::FullyDecoded);
    location.password = url.password(QUrl::FullyDecoded);
    location.host = url.host(QUrl::FullyDecoded);
    if (location.host.isEmpty())
        throw fail(QStringLiteral("no host"));
    if (location.user.isEmpty())
        throw fail(QStringLiteral("no user name"));
    const int port = url.port(5432);
    if (port <= 0 || port > 65535)
        throw fail(QStringLiteral("the port must be between 1 and 65535"));
    location.port = port;
    location.database = url.path(QUrl::FullyDecoded).mid(1);
    if (location.database.isEmpty())
        throw fail(QStringLiteral("no database name after the host"));
    if (location.database.contains(QLatin1Char('/')))
        throw fail(QStringLiteral("the database name '%1' contains '/'").arg(location.database));
    if (!url.fragment().isEmpty())
        throw fail(QStringLiteral("a '#' part is not allowed"));
    const QUrlQuery query(url);
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key != QLatin1String("schema"))
            throw fail(QStringLiteral("unknown option '%1' (the only option is schema)").arg(key));
        if (value.isEmpty())
            throw fail(QStringLiteral("schema is empty"));
        if (value.contains(QChar(0)))
            throw fail(QStringLiteral("the schema name contains a NUL character"));
        location.schema = value;
    }
    return location;
}

} // namespace chronoscope
