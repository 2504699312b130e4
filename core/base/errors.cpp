#include "base/errors.h"

namespace chronoscope {

WrongExpectedVersion::WrongExpectedVersion(StreamId stream, ExpectedVersion expected, Version actual)
    : StoreError(QStringLiteral("wrong expected version on stream '%1': expected %2, actual %3")
                     .arg(stream.toString(), expected.toString(),
                         actual.value == 0 ? QStringLiteral("no-stream (0)") : QString::number(actual.value)))
    , m_stream(std::move(stream))
    , m_expected(expected)
    , m_actual(actual)
{
}

QString errorText(const std::exception& error)
{
    if (const auto* store = dynamic_cast<const StoreError*>(&error))
        return store->message();
    return QString::fromUtf8(error.what());
}

} // namespace chronoscope
