#pragma once

// The desktop application object: a last line of defence against an exception escaping an event
// handler (a store whose server went away mid-read, say). Qt cannot carry exceptions through its
// event loop; without this the program would abort and a user's unsaved work would be gone.

#include <QApplication>

#include <functional>

namespace chronoscope {

class GuardedApplication : public QApplication {
    Q_OBJECT
public:
    GuardedApplication(int& argc, char** argv);

    /// Called (later, from the event loop) with the message of an exception that escaped an event
    /// handler; the event that raised it is dropped and the program keeps running.
    void setErrorHandler(std::function<void(const QString&)> handler) { m_handler = std::move(handler); }

    bool notify(QObject* receiver, QEvent* event) override;

private:
    void report(const QString& message);

    std::function<void(const QString&)> m_handler;
};

} // namespace chronoscope
