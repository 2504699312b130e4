#include "window/guardedapplication.h"

#include "base/errors.h"

#include <QTimer>

namespace chronoscope {

GuardedApplication::GuardedApplication(int& argc, char** argv)
    : QApplication(argc, argv)
{
}

bool GuardedApplication::notify(QObject* receiver, QEvent* event)
{
    try {
        return QApplication::notify(receiver, event);
    } catch (const std::exception& e) {
        report(errorText(e));
    } catch (...) {
        report(tr("an unknown error"));
    }
    return false;
}

void GuardedApplication::report(const QString& message)
{
    qWarning("chronoscope: an event handler failed: %s", qUtf8Printable(message));
    if (!m_handler)
        return;
    // Not from inside notify(): the handler may open a message box.
    QTimer::singleShot(0, this, [this, message] { m_handler(message); });
}

} // namespace chronoscope
