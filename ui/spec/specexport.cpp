#include "spec/specexport.h"

#include "base/errors.h"
#include "spec/givenwhenthen.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>

namespace chronoscope {

SpecFormat specFormatFor(const QString& fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == QLatin1String("cpp") || suffix == QLatin1String("cc"))
        return SpecFormat::QtTest;
    if (suffix == QLatin1String("js") || suffix == QLatin1String("ts") || suffix == QLatin1String("mjs"))
        return SpecFormat::Jest;
    return SpecFormat::Json;
}

int writeSpec(
    const EventStore& store, const StreamId& stream, Version from, Version to, const QString& fileName)
{
    const spec::Spec exported = spec::exportSpec(store, stream, from, to);
    QByteArray text;
    switch (specFormatFor(fileName)) {
    case SpecFormat::Json:
        text = QByteArray::fromStdString(spec::toJson(exported).dump(2)) + '\n';
        break;
    case SpecFormat::QtTest:
        text = spec::toQtTest(exported).toUtf8();
        break;
    case SpecFormat::Jest:
        text = spec::toJest(exported).toUtf8();
        break;
    }
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        throw StoreError(QObject::tr("%1 could not be written: %2").arg(fileName, file.errorString()));
    return int(exported.cases.size());
}

QString exportSpecInteractively(
    QWidget* parent, const EventStore& store, const StreamId& stream, Version from, Version to)
{
    const QString suggested = QDir::home().filePath(
        QStringLiteral("%1-v%2-v%3.spec.json").arg(stream.toString()).arg(from.value).arg(to.value));
    const QString fileName = QFileDialog::getSaveFileName(parent, QObject::tr("Export Given/When/Then"),
        suggested,
        QObject::tr(
            "Specification for chronoscope-cli spec run (*.json);;Qt Test (*.cpp);;Jest test (*.js *.ts)"));
    if (fileName.isEmpty())
        return {};
    try {
        const int cases = writeSpec(store, stream, from, to, fileName);
        return QObject::tr("Wrote %n case(s) to %1", nullptr, cases).arg(QDir::toNativeSeparators(fileName));
    } catch (const StoreError& e) {
        return QObject::tr("Nothing exported: %1").arg(e.message());
    }
}

} // namespace chronoscope
