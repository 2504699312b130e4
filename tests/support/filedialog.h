#pragma once

// Answers the next file dialog a UI test makes the window open (UI tests only).

#include <QApplication>
#include <QFileDialog>
#include <QLineEdit>
#include <QTimer>

#include <memory>

namespace testsupport {

/// Watches for the next visible QFileDialog and accepts it with `file` (typed as a person would).
/// Keep the returned timer alive until the dialog has been answered.
inline std::unique_ptr<QTimer> answerNextFileDialog(const QString& file)
{
    auto fill = std::make_unique<QTimer>();
    fill->setInterval(20);
    QTimer* timer = fill.get();
    QObject::connect(timer, &QTimer::timeout, timer, [timer, file] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog || !dialog->isVisible())
            return;
        timer->stop();
        dialog->selectFile(file);
        if (auto* edit = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
            edit->setText(file);
        QMetaObject::invokeMethod(dialog, "accept");
    });
    fill->start();
    return fill;
}

} // namespace testsupport
