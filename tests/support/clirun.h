#pragma once

// Runs the real chronoscope-cli binary (CHRONOSCOPE_CLI, set by tests/CMakeLists.txt) for the
// command-line tests: exit code, standard output and standard error.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <vector>

namespace testsupport {

struct Result {
    int code = -1; ///< exit code; -1 when it did not finish, -2 when it crashed
    QByteArray out;
    QByteArray err;

    /// Standard output as one JSON document.
    nlohmann::json json() const { return nlohmann::json::parse(out.constBegin(), out.constEnd()); }
    /// Standard output as JSON Lines.
    std::vector<nlohmann::json> lines() const
    {
        std::vector<nlohmann::json> all;
        for (const auto& line : out.split('\n'))
            if (!line.isEmpty())
                all.push_back(nlohmann::json::parse(line.constBegin(), line.constEnd()));
        return all;
    }
    /// For failure messages: the exit code and what the program printed.
    QString describe() const
    {
        return QStringLiteral("exit %1; stdout: %2; stderr: %3")
            .arg(code)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

/// Waits for a started process and collects what it said (killed after `timeoutMs`).
inline Result finish(QProcess& process, int timeoutMs = 120000)
{
    Result r;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

inline Result runCli(const QStringList& arguments, int timeoutMs = 120000)
{
    QProcess process;
    process.start(QStringLiteral(CHRONOSCOPE_CLI), arguments);
    return finish(process, timeoutMs);
}

} // namespace testsupport
