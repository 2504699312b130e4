// MainWindow: File ▸ Connect to PostgreSQL… and opening postgresql:// URLs. The password lives
// only in the URL being opened: titles, recent files and settings get the URL without it.
#include "store/postgres/pglocation.h"
#include "store/storefactory.h"
#include "window/mainwindow.h"
#include "window/pgconnectdialog.h"
#include "window/recentfiles.h"

#include <QApplication>
#include <QEventLoop>
#include <QLineEdit>
#include <QProgressDialog>
#include <QScopedValueRollback>
#include <QStatusBar>

namespace chronoscope {

namespace {
// Libpq's words when the server wants a password it did not get (or got wrong).
bool isPasswordRefusal(const QString& message)
{
    return message.contains(QLatin1String("password authentication failed"), Qt::CaseInsensitive)
        || message.contains(QLatin1String("no password supplied"), Qt::CaseInsensitive)
        || message.contains(QLatin1String("password is required"), Qt::CaseInsensitive);
}

} // namespace

std::optional<QString> MainWindow::reachPostgres(const QString& url, const QString& shown)
{
    // A host that does not answer keeps libpq waiting up to its connect timeout (10 s): the
    // attempt runs as a job, with a progress dialog whose Cancel gives the window back at once
    // (the attempt then ends on its own and its answer is dropped). openFile() answers
    // synchronously, so the answer is waited for here with the window's events still served.
    QProgressDialog progress(tr("Connecting to %1\u2026").arg(shown), tr("Cancel"), 0, 0, this);
    progress.setWindowTitle(tr("Connecting"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    progress.setValue(0); // starts the timer that shows the dialog after the minimum duration
    m_connectProgress = &progress;
    QEventLoop loop;
    std::optional<QString> answer;
    connect(&progress, &QProgressDialog::canceled, &loop, &QEventLoop::quit);
    // Connects once and disconnects on a pool thread: the server's refusal, empty when it let us in.
    m_connectJobs.startJob(
        [url](const JobCancelled&) {
            chronoscope::reachPostgres(url);
            return true;
        },
        [&answer, &loop](JobResult<bool> reached) {
            answer = reached.ok() ? QString() : reached.error;
            loop.quit();
        });
    loop.exec();
    m_connectJobs.reset(); // cancelled: the answer, when it comes, is dropped
    m_connectProgress = nullptr;
    return answer;
}

PgConnectDialog* MainWindow::showConnectDialog(const QString& url, const QString& message)
{
    if (!m_connectDialog) {
        m_connectDialog = new PgConnectDialog(this);
        connect(m_connectDialog, &QDialog::accepted, this, [this] {
            const QString url = m_connectDialog->url();
            m_connectDialog->passwordEdit()->clear(); // the dialog keeps no password once used
            const QScopedValueRollback fromDialog(m_connecting, true);
            if (!openPostgres(url)) {
                // Shown in the dialog, which opens again with the fields kept.
                m_connectDialog->setMessage(m_lastError);
                m_connectDialog->open();
            }
        });
    }
    if (!url.isEmpty())
        m_connectDialog->askPasswordFor(url, message);
    else
        m_connectDialog->setMessage(message);
    m_connectDialog->open();
    return m_connectDialog;
}

bool MainWindow::openPostgres(const QString& url)
{
    const QString shown = pgUrlWithoutPassword(url);
    const auto reached = reachPostgres(url, shown);
    if (!reached) {
        m_lastError = tr("Connecting to %1 was cancelled.").arg(shown);
        statusBar()->showMessage(m_lastError, 15000);
        return false;
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        if (!reached->isEmpty())
            throw StoreError(*reached); // refused, or no such database: handled below
        m_session->open(url, shown);
    } catch (const StoreError& error) {
        QApplication::restoreOverrideCursor();
        const auto fields = pgConnectFields(url);
        if (fields && fields->password.isEmpty() && isPasswordRefusal(error.message())) {
            // A URL without a password (the command line, a recent entry) that the server
            // refuses: ask for it.
            m_lastError = error.message();
            statusBar()->showMessage(error.message(), 15000);
            Q_EMIT errorOccurred(error.message());
            showConnectDialog(url, tr("%1 needs a password.").arg(shown));
            return false;
        }
        if (m_connecting) {
            // The dialog shows the error itself.
            m_lastError = error.message();
            statusBar()->showMessage(error.message(), 15000);
            Q_EMIT errorOccurred(error.message());
            return false;
        }
        reportError(error.message(), tr("The PostgreSQL store could not be opened."));
        return false;
    } catch (const std::exception& error) {
        QApplication::restoreOverrideCursor();
        reportError(tr("Could not open %1: %2").arg(shown, QString::fromUtf8(error.what())));
        return false;
    }
    QApplication::restoreOverrideCursor();
    m_recent->add(shown);
    Q_EMIT storeOpened(shown);
    return true;
}

} // namespace chronoscope
