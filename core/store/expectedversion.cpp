#include "store/expectedversion.h"

namespace chronoscope {

std::optional<ExpectedVersion> ExpectedVersion::parse(const QString& text)
{
    const auto t = text.trimmed();
    if (t == QLatin1String("any"))
        return any();
    if (t == QLatin1String("no-stream"))
        return noStream();
    if (t == QLatin1String("exists"))
        return streamExists();
    bool ok = false;
    const auto n = t.toLongLong(&ok);
    if (!ok || n < 0)
        return std::nullopt;
    return exact(Version(n));
}

bool ExpectedVersion::isSatisfiedBy(Version current) const
{
    switch (m_kind) {
    case Kind::Any:
        return true;
    case Kind::NoStream:
        return current.value == 0;
    case Kind::StreamExists:
        return current.value > 0;
    case Kind::Exact:
        return current.value == m_value;
    }
    return false;
}

QString ExpectedVersion::toString() const
{
    switch (m_kind) {
    case Kind::Any:
        return QStringLiteral("any");
    case Kind::NoStream:
        return QStringLiteral("no-stream");
    case Kind::StreamExists:
        return QStringLiteral("exists");
    case Kind::Exact:
        return QString::number(m_value);
    }
    return {};
}

} // namespace chronoscope
