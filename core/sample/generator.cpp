// The deterministic sample-store generator: simulated customers shopping, paying and
// receiving parcels, written by the same decide/evolve functions the command handler uses.

#include "sample/catalog.h"
#include "sample/commands.h"
#include "sample/rng.h"
#include "sample/sampledomain.h"

#include <QDateTime>

#include <algorithm>
#include <memory>

namespace chronoscope::sample {

using nlohmann::json;
using namespace detail;

namespace {

/// An aggregate kept in memory while the story needs it.
struct Agg {
    Aggregate kind = Aggregate::Cart;
    StreamId stream;
    json state;
    qint64 version = 0;
};

Agg newAgg(Aggregate kind, const QString& name)
{
    StreamId stream(name);
    return {kind, stream, initialState(kind, stream), 0};
}

/// One customer's story, advanced one command per turn.
struct Session {
    enum class Step {
        Shop,
        PlaceOrder,
        Reserve,
        RequestPayment,
        Pending,
        Authorized,
        Failed,
        RecordPayment,
        Ship,
        ShipStock,
        Release,
        Refund,
        Done
    };
    Step step = Step::Shop;
    QUuid correlation;
    QUuid cause;       // the event the next reaction answers
    QUuid orderPlaced; // cause of the reservations and the first payment
    std::string customer;
    Agg cart;
    Agg order;
    Agg payment;
    int adds = 0;
    int plannedAdds = 0;
    int attempts = 0;
    std::size_t line = 0;
};

class Generator {
public:
    Generator(EventStore& store, const GeneratorOptions& options, const GeneratorProgress& progress)
        : m_store(store)
        , m_target(options.events)
        , m_progress(progress)
        , m_rng(options.seed)
    {
        m_clock = QDateTime(QDate(2026, 1, 5), QTime(8, 0), Qt::UTC).toMSecsSinceEpoch();
        // About six weeks of shop life whatever the size, one step every 1 s .. 30 min.
        const double steps = double(std::max<qint64>(m_target, 1)) / 1.3;
        m_meanStepMs = std::clamp(42.0 * 86400.0 * 1000.0 / steps, 1000.0, 1800.0 * 1000.0);
        m_customers = std::max<qint64>(40, m_target / 25);
        for (const auto& p : Catalog)
            m_inventory.push_back(
                newAgg(Aggregate::Inventory, QStringLiteral("inventory-") + QLatin1String(p.sku)));
    }

    qint64 run()
    {
        // The shop opens with a delivery of every product, then the stories begin.
        std::size_t opening = 0;
        while (m_running) {
            if (opening < m_inventory.size())
                command(m_inventory[opening++], "ReceiveStock",
                    {{"quantity", m_rng.between(80, 300)}, {"supplier", m_rng.pick(Suppliers)}}, {});
            else
                turn();
            const qint64 limit = std::clamp<qint64>(m_target - m_written, 1, BatchEvents);
            if (m_batchEvents >= limit)
                flush();
        }
        return m_written;
    }

private:
    static constexpr qint64 BatchEvents = 1000;

    void flush()
    {
        if (m_batch.empty())
            return;
        m_store.appendMany(m_batch);
        m_written += m_batchEvents;
        m_batch.clear();
        m_batchEvents = 0;
        const bool goOn = !m_progress || m_progress(m_written, m_target);
        if (!goOn || m_written >= m_target)
            m_running = false;
    }

    /// Decides a command on `agg`, evolves it and queues its events. Returns the last event id.
    /// A null correlation starts a new story: the command's own id becomes its correlation id.
    QUuid command(Agg& agg, const char* type, json data, const QUuid& correlation, const QUuid& cause = {},
        const RelatedStates& related = {})
    {
        Command c;
        c.type = QLatin1String(type);
        c.stream = agg.stream;
        c.data = std::move(data);
        c.id = m_rng.uuid();
        c.correlationId = correlation;
        c.causationId = cause;
        m_lastCommand = c.id;
        auto decided = decideEvents(agg.state, c, related);
        const auto metadata = eventMetadata(c);
        AppendRequest request {agg.stream, ExpectedVersion::exact(Version(agg.version)), {}};
        request.events.reserve(decided.size());
        QUuid last;
        for (auto& e : decided) {
            EventData out;
            out.type = e.type;
            out.data = QByteArray::fromStdString(e.data.dump());
            out.metadata = metadata;
            out.id = last = m_rng.uuid();
            out.timestampMs = m_clock;
            agg.state = evolve(agg.kind, std::move(agg.state), e.type, e.data);
            request.events.push_back(std::move(out));
        }
        agg.version += qint64(request.events.size());
        m_batchEvents += qint64(request.events.size());
        m_batch.push_back(std::move(request));
        return last;
    }

    void turn()
    {
        m_clock += qint64(m_meanStepMs * (0.2 + 1.6 * m_rng.unit()));
        if (m_rng.chance(0.004)) {
            auto& inv = m_inventory[std::size_t(m_rng.below(CatalogSize))];
            command(inv, "ReceiveStock",
                {{"quantity", m_rng.between(50, 250)}, {"supplier", m_rng.pick(Suppliers)}}, {});
            return;
        }
        if (m_sessions.empty() || (m_sessions.size() < 64 && m_rng.chance(0.12)))
            m_sessions.push_back(newSession());
        const auto index = std::size_t(m_rng.below(qint64(m_sessions.size())));
        auto& session = *m_sessions[index];
        advance(session);
        if (session.step == Session::Step::Done) {
            m_sessions[index] = std::move(m_sessions.back());
            m_sessions.pop_back();
        }
    }

    std::unique_ptr<Session> newSession()
    {
        auto s = std::make_unique<Session>();
        s->customer = "C" + std::to_string(1000 + m_rng.below(m_customers));
        s->cart = newAgg(Aggregate::Cart, QStringLiteral("cart-%1").arg(m_nextCart++));
        s->plannedAdds = int(m_rng.between(1, 5));
        return s;
    }

    Agg& inventoryFor(const std::string& sku)
    {
        for (std::size_t i = 0; i < std::size_t(CatalogSize); ++i)
            if (sku == Catalog[i].sku)
                return m_inventory[i];
        return m_inventory.front();
    }

    const json& currentLine(const Session& s) const { return s.order.state["lines"][s.line]; }

    void shop(Session& s)
    {
        // The first command of a story has no cause but itself: its id is the correlation id.
        if (s.cart.state["status"] == "new") {
            command(s.cart, "OpenCart", {{"customerId", s.customer}}, {});
            s.correlation = m_lastCommand;
            return;
        }
        const auto& items = s.cart.state["items"];
        if (s.adds < s.plannedAdds) {
            ++s.adds;
            if (!items.empty() && m_rng.chance(0.15)) {
                auto it = items.begin();
                std::advance(it, m_rng.below(qint64(items.size())));
                const auto held = (*it)["quantity"].get<qint64>();
                command(s.cart, "RemoveItem", {{"sku", it.key()}, {"quantity", m_rng.between(1, held)}},
                    s.correlation);
                return;
            }
            const auto& p = Catalog[m_rng.below(CatalogSize)];
            const qint64 quantity = m_rng.chance(0.7) ? 1 : m_rng.between(2, 4);
            command(s.cart, "AddItem",
                {{"sku", p.sku}, {"name", p.name}, {"quantity", quantity}, {"unitPrice", p.price}},
                s.correlation);
            return;
        }
        if (items.empty() || m_rng.chance(0.12)) {
            command(s.cart, "AbandonCart", {{"reason", m_rng.pick(Abandons)}}, s.correlation);
            s.step = Session::Step::Done;
            return;
        }
        s.cause = command(s.cart, "ConfirmCart", json::object(), s.correlation);
        s.step = Session::Step::PlaceOrder;
    }

    void requestPayment(Session& s)
    {
        s.payment = newAgg(Aggregate::Payment, QStringLiteral("payment-%1").arg(m_nextPayment++));
        const auto orderId = s.order.stream.toString();
        s.cause = command(s.payment, "RequestPayment",
            {{"orderId", s.order.stream.toString().toStdString()}, {"amount", s.order.state["outstanding"]},
                {"method", m_rng.pick(Methods)}},
            s.correlation, s.cause, {{orderId, s.order.state}});
        ++s.attempts;
        s.step = Session::Step::Pending;
    }

    void fail(Session& s, const char* reason)
    {
        s.cause = command(s.payment, "FailPayment", {{"reason", reason}}, s.correlation, s.cause);
        s.step = Session::Step::Failed;
    }

    void advance(Session& s)
    {
        using Step = Session::Step;
        const auto orderId = s.order.stream.toString().toStdString();
        switch (s.step) {
        case Step::Shop:
            shop(s);
            break;
        case Step::PlaceOrder:
            s.order = newAgg(Aggregate::Order, QStringLiteral("order-%1").arg(m_nextOrder++));
            s.cause = s.orderPlaced
                = command(s.order, "PlaceOrder", {{"cartId", s.cart.stream.toString().toStdString()}},
                    s.correlation, s.cause, {{s.cart.stream.toString(), s.cart.state}});
            s.cart.state = json(); // the cart's story is over: free it
            s.line = 0;
            s.step = Step::Reserve;
            break;
        case Step::Reserve: {
            const auto& line = currentLine(s);
            const auto quantity = line["quantity"].get<qint64>();
            auto& inv = inventoryFor(line["sku"].get<std::string>());
            if (inv.state["available"].get<qint64>() < quantity) // restock first: a delivery of its own
                command(inv, "ReceiveStock",
                    {{"quantity", quantity + m_rng.between(50, 200)}, {"supplier", m_rng.pick(Suppliers)}},
                    {});
            command(inv, "ReserveStock", {{"orderId", orderId}, {"quantity", quantity}}, s.correlation,
                s.orderPlaced);
            if (++s.line == s.order.state["lines"].size()) {
                s.cause = s.orderPlaced;
                s.step = Step::RequestPayment;
            }
            break;
        }
        case Step::RequestPayment:
            requestPayment(s);
            break;
        case Step::Pending:
            if (m_rng.chance(0.08)) {
                fail(s, m_rng.pick(Declines));
            } else {
                s.cause = command(s.payment, "AuthorizePayment",
                    {{"authorizationCode", m_rng.code(6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")}}, s.correlation,
                    s.cause);
                s.step = Step::Authorized;
            }
            break;
        case Step::Authorized:
            if (m_rng.chance(0.02)) {
                fail(s, "authorization expired");
            } else {
                s.cause = command(s.payment, "CapturePayment", json::object(), s.correlation, s.cause);
                s.step = Step::RecordPayment;
            }
            break;
        case Step::Failed:
            if (s.attempts < 3 && m_rng.chance(0.65)) {
                requestPayment(s);
            } else {
                s.cause
                    = command(s.order, "CancelOrder", {{"reason", "payment failed"}}, s.correlation, s.cause);
                s.line = 0;
                s.step = Step::Release;
            }
            break;
        case Step::RecordPayment:
            s.cause = command(s.order, "RecordPayment",
                {{"paymentId", s.payment.stream.toString().toStdString()},
                    {"amount", s.payment.state["captured"]}},
                s.correlation, s.cause, {{s.payment.stream.toString(), s.payment.state}});
            s.step = Step::Ship;
            break;
        case Step::Ship: {
            const char* carrier = m_rng.pick(Carriers);
            const auto tracking
                = QByteArray(carrier, 2).toUpper().toStdString() + m_rng.code(10, "0123456789");
            s.cause = command(s.order, "ShipOrder", {{"carrier", carrier}, {"trackingNumber", tracking}},
                s.correlation, s.cause);
            s.line = 0;
            s.step = Step::ShipStock;
            break;
        }
        case Step::ShipStock:
        case Step::Release: {
            const bool ship = s.step == Step::ShipStock;
            auto& inv = inventoryFor(currentLine(s)["sku"].get<std::string>());
            command(inv, ship ? "ShipStock" : "ReleaseStock",
                ship ? json {{"orderId", orderId}}
                     : json {{"orderId", orderId}, {"reason", "order cancelled"}},
                s.correlation, s.cause);
            if (++s.line == s.order.state["lines"].size())
                s.step = ship && m_rng.chance(0.04) ? Step::Refund : Step::Done;
            break;
        }
        case Step::Refund: {
            const auto& line = s.order.state["lines"][0];
            command(s.payment, "RefundPayment",
                {{"amount",
                     std::min(line["unitPrice"].get<qint64>(), s.payment.state["captured"].get<qint64>())},
                    {"reason", "damaged in transit"}},
                s.correlation, s.cause);
            s.step = Step::Done;
            break;
        }
        case Step::Done:
            break;
        }
    }

    EventStore& m_store;
    qint64 m_target;
    const GeneratorProgress& m_progress;
    Rng m_rng;
    qint64 m_clock = 0;
    double m_meanStepMs = 0;
    qint64 m_customers = 0;
    qint64 m_nextCart = 1;
    qint64 m_nextOrder = 1;
    qint64 m_nextPayment = 1;
    std::vector<Agg> m_inventory;
    std::vector<std::unique_ptr<Session>> m_sessions;
    std::vector<AppendRequest> m_batch;
    qint64 m_batchEvents = 0;
    qint64 m_written = 0;
    bool m_running = true;
    QUuid m_lastCommand;
};

} // namespace

qint64 generate(EventStore& store, const GeneratorOptions& options, const GeneratorProgress& progress)
{
    if (options.events < 0)
        throw InvalidInput(QStringLiteral("the number of events to generate must not be negative (got %1)")
                               .arg(options.events));
    if (options.events == 0)
        return 0;
    for (const auto* prefix : {"cart-", "order-", "payment-", "inventory-"})
        if (!store.streams(QLatin1String(prefix)).empty())
            throw InvalidInput(
                QStringLiteral("the store already holds %1* streams: generate the sample into an empty store")
                    .arg(QLatin1String(prefix)));
    Generator generator(store, options, progress);
    return generator.run();
}

} // namespace chronoscope::sample
