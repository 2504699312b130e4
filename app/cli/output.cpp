#include "cli/output.h"

#include "base/errors.h"
#include "store/streaminfo.h"

#include <QCoreApplication>
#include <QDateTime>

#include <cstdio>
#include <unistd.h>

namespace chronoscope::cli::output {

namespace {
bool g_writeFailed = false;

void writeStdout(const char* data, std::size_t size)
{
    if (size > 0 && std::fwrite(data, 1, size, stdout) != size)
        g_writeFailed = true;
}
} // namespace

void addCounts(Json& j, const StoreSummary& summary)
{
    j["events"] = summary.events;
    j["streams"] = summary.streams;
    j["lastPosition"] = summary.lastPosition.value;
}

void json(const Json& value)
{
    const auto text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    writeStdout(text.data(), text.size());
    writeStdout("\n", 1);
}

void line(const QByteArray& bytes)
{
    writeStdout(bytes.constData(), std::size_t(bytes.size()));
    writeStdout("\n", 1);
}

void flush()
{
    if (std::fflush(stdout) != 0 || g_writeFailed || std::ferror(stdout))
        throw StoreError(QStringLiteral("cannot write to the standard output"));
}

void error(const QString& message)
{
    const auto text = QStringLiteral("chronoscope-cli: %1\n").arg(message).toUtf8();
    std::fwrite(text.constData(), 1, std::size_t(text.size()), stderr);
    std::fflush(stderr);
}

void message(const QString& text)
{
    const auto bytes = (text + QLatin1Char('\n')).toUtf8();
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

Progress::Progress(QString label)
    : m_label(std::move(label))
    , m_enabled(isatty(fileno(stderr)) == 1)
{
}

Progress::~Progress()
{
    finish();
}

bool Progress::operator()(qint64 done, qint64 total)
{
    if (!m_enabled)
        return true;
    const auto now = QDateTime::currentMSecsSinceEpoch();
    if (m_shown && now - m_lastMs < 100 && done < total)
        return true;
    m_lastMs = now;
    m_shown = true;
    const auto text = total > 0 ? QStringLiteral("\r%1: %2%").arg(m_label).arg(done * 100 / total)
                                : QStringLiteral("\r%1: %2").arg(m_label).arg(done);
    const auto bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stderr);
    std::fflush(stderr);
    return true;
}

void Progress::finish()
{
    if (m_enabled && m_shown) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        m_shown = false;
    }
}

} // namespace chronoscope::cli::output
