#pragma once

#include <QObject>

namespace chronoscope {

/// A wake-up from a store when another program has committed events to it, in the thread that
/// made the notifier (it needs that thread's event loop): PostgreSQL's LISTEN/NOTIFY on our own
/// schema. It says that something was written, not what: the follower reads the store's end then.
/// See EventStore::appendNotifier().
class AppendNotifier : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    /// Events were committed to the store (by any program, this one included).
    void notified();
};

} // namespace chronoscope
