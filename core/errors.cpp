#include "errors.h"

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

} // namespace chronoscope
