#pragma once

// Everything chronoscope-cli prints: results as JSON on stdout, messages and progress on stderr.

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <string>

namespace chronoscope {
struct StoreSummary;
}

namespace chronoscope::cli::output {

using Json = nlohmann::ordered_json;

/// UTF-8 for a JSON value.
inline std::string utf8(const QString& text)
{
    return text.toStdString();
}

/// Adds a store's "events", "streams" and "lastPosition" to `j`.
void addCounts(Json& j, const StoreSummary& summary);

/// Writes one JSON value as one line on stdout.
void json(const Json& value);
/// Writes bytes and a newline on stdout (buffered).
void line(const QByteArray& bytes);
/// Flushes stdout; throws StoreError when the output could not be written.
void flush();
/// Writes a message line on stderr, prefixed with the program name.
void error(const QString& message);
/// Writes a line on stderr as it is.
void message(const QString& text);

/// Progress on stderr, only when stderr is a terminal; throttled; erased by finish().
class Progress {
public:
    explicit Progress(QString label);
    ~Progress();
    /// Returns true (never cancels): fits the core's progress callbacks.
    bool operator()(qint64 done, qint64 total);
    void finish();

private:
    QString m_label;
    bool m_enabled;
    bool m_shown = false;
    qint64 m_lastMs = 0;
};

} // namespace chronoscope::cli::output
