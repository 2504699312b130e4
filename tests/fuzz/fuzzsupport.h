#pragma once

// What the libFuzzer harnesses share: a QCoreApplication (as the GUI-less tests have), a
// scratch path of their own (two harnesses may run at once), the input as bytes without a copy
// (so a read past its end is caught), and an input split in two at a separator byte.

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace chronoscope::fuzz {

/// The byte that splits one input into two documents (a form feed: rare in JSON text).
inline constexpr char Separator = '\f';

/// Creates the application object once, from LLVMFuzzerInitialize. It is never destroyed:
/// at exit, Qt's own globals may already be gone.
inline void startApplication(int* argc, char*** argv)
{
    if (!QCoreApplication::instance())
        new QCoreApplication(*argc, *argv);
}

/// The input, not copied: its last byte is the end of the fuzzer's buffer.
inline QByteArray bytes(const std::uint8_t* data, std::size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
}

/// The part before the first separator and the part after it (empty when there is none).
inline std::pair<QByteArray, QByteArray> split(const QByteArray& input)
{
    const auto at = input.indexOf(Separator);
    if (at < 0)
        return {input, QByteArray()};
    return {input.left(at), input.mid(at + 1)};
}

/// A path in the temporary folder named after the harness and this process, removed (with an
/// SQLite file's -wal, -shm and -journal) when the fuzzer exits normally. Kept after a crash.
inline QString scratchPath(const QString& name)
{
    const auto path = QDir::temp().filePath(
        QStringLiteral("chronoscope-fuzz-%1-%2").arg(QCoreApplication::applicationPid()).arg(name));
    static std::vector<std::string> paths;
    if (paths.empty()) {
        // std::filesystem, not Qt: at exit, Qt's globals may already be gone.
        std::atexit([] {
            std::error_code ignored;
            for (const auto& p : paths) {
                for (const char* suffix : {"", "-wal", "-shm", "-journal"})
                    std::filesystem::remove_all(p + suffix, ignored);
            }
        });
    }
    paths.push_back(path.toStdString());
    return path;
}

/// Writes the whole input to `path`, replacing what was there.
inline void writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        qFatal("fuzz: cannot write %s", qPrintable(path));
}

} // namespace chronoscope::fuzz
