#pragma once

// core/base: what every other folder uses: strong ids (StreamId, Version, Position, ids.h) and the
// errors the core reports, with errorText() turning any exception into the text a person reads.

#include "base/ids.h"
#include "store/expectedversion.h"

#include <QString>

#include <stdexcept>

namespace chronoscope {

/// Base of every error the core reports. message() is meant for a person: it names
/// what was wrong and where (file, line, stream, version).
class StoreError : public std::runtime_error {
public:
    explicit StoreError(const QString& message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }
    const QString& message() const { return m_message; }

private:
    QString m_message;
};

/// Bad input from the user: invalid JSON, empty type, unknown option value...
class InvalidInput : public StoreError {
public:
    using StoreError::StoreError;
};

/// The store cannot be opened or is not of a format we know.
class OpenError : public StoreError {
public:
    using StoreError::StoreError;
};

/// A new store was asked for at a path where a file exists (or appeared meanwhile: another
/// process made it first). Nothing was written or removed.
class AlreadyExists : public OpenError {
public:
    using OpenError::OpenError;
};

/// A write was asked of a store opened read-only.
class ReadOnlyError : public StoreError {
public:
    using StoreError::StoreError;
};

/// The stream's version did not match the expectation; nothing was written.
class WrongExpectedVersion : public StoreError {
public:
    WrongExpectedVersion(StreamId stream, ExpectedVersion expected, Version actual);
    const StreamId& stream() const { return m_stream; }
    ExpectedVersion expected() const { return m_expected; }
    Version actual() const { return m_actual; }

private:
    StreamId m_stream;
    ExpectedVersion m_expected;
    Version m_actual;
};

/// The text a person is shown for any exception: a StoreError's message(), else what() read as
/// UTF-8. The one place an exception becomes text (background jobs, the projection runner).
QString errorText(const std::exception& error);

} // namespace chronoscope
