#pragma once

// Shared pieces of chronoscope-cli: exit codes, usage errors, parsing one sub-command's
// command line, and the sub-commands themselves.

#include <QCommandLineParser>
#include <QStringList>

#include <optional>
#include <stdexcept>

namespace chronoscope::cli {

enum ExitCode : int {
    ExitOk = 0,
    ExitError = 1,        ///< the store or the data was wrong, or the work failed
    ExitUsage = 2,        ///< the command line was wrong
    ExitWrongVersion = 3, ///< append: the stream was not at the expected version
};

/// The command line of a sub-command is wrong. Reported with a hint to --help, exit 2.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const QString& message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }
    const QString& message() const { return m_message; }

private:
    QString m_message;
};

/// QCommandLineParser set up for one sub-command, with --help and typed value accessors that
/// throw UsageError naming the option and the value.
class Command {
public:
    /// `name` is the sub-command, `positionals` its arguments as {name, description};
    /// `optional` arguments follow them, all given or none (e.g. "dead-letters STORE [ACTION ID]").
    Command(const QString& name, const QString& description,
        const QList<QPair<QString, QString>>& positionals,
        const QList<QPair<QString, QString>>& optional = {});

    QCommandLineParser& parser() { return m_parser; }
    void addOption(const QString& name, const QString& description, const QString& valueName = {});

    /// Parses the whole command line (program, sub-command, arguments). Returns false after
    /// printing the help when --help was given. Throws UsageError for unknown options and for a
    /// wrong number of positional arguments.
    bool parse(const QStringList& arguments);

    /// Positional arguments after the sub-command's name.
    qsizetype positionalCount() const { return m_positionals.size(); }
    QString positional(int index) const { return m_positionals.value(index); }
    bool isSet(const QString& option) const { return m_parser.isSet(option); }
    QString value(const QString& option) const { return m_parser.value(option); }
    QStringList values(const QString& option) const { return m_parser.values(option); }
    /// The option's value; throws UsageError when it is missing or empty.
    QString required(const QString& option) const;
    /// An integer option (nullopt when not given); throws UsageError below `min` or not a number.
    std::optional<qint64> integer(const QString& option, qint64 min) const;
    /// An ISO-8601 time option as ms since the epoch; throws UsageError when unparseable.
    std::optional<qint64> time(const QString& option) const;
    /// Throws UsageError when both options are given.
    void exclusive(const QString& a, const QString& b) const;

    const QString& name() const { return m_name; }

private:
    QString m_name;
    QStringList m_positionalNames;
    QStringList m_optionalNames;
    QCommandLineParser m_parser;
    QStringList m_positionals;
};

// Sub-commands. Each takes the whole command line and returns the exit code; errors are
// thrown (UsageError, StoreError) and reported by main.
int runInfo(const QStringList& arguments);
int runStreams(const QStringList& arguments);
int runEvents(const QStringList& arguments);
int runState(const QStringList& arguments);
int runAppend(const QStringList& arguments);
int runImport(const QStringList& arguments);
int runExport(const QStringList& arguments);
int runSample(const QStringList& arguments);
int runProject(const QStringList& arguments);
int runCommand(const QStringList& arguments);
int runPublish(const QStringList& arguments);
int runDeadLetters(const QStringList& arguments);
int runDiff(const QStringList& arguments);
int runHistory(const QStringList& arguments);
int runSchema(const QStringList& arguments);
int runUpcast(const QStringList& arguments);
int runStory(const QStringList& arguments);
int runTopics(const QStringList& arguments);
int runSpec(const QStringList& arguments);

} // namespace chronoscope::cli
