// The built-in projections: counts over the whole log and read models of the sample shop.
#include "projections/perstreamprojection.h"

#include <algorithm>
#include <functional>

namespace chronoscope {

namespace {

using nlohmann::json;

std::string key(const QString& s)
{
    return s.toStdString();
}

/// A projection whose folder is a JsonFolder given by two functions.
class FunctionProjection final : public Projection {
public:
    using Init = std::function<json()>;
    using Evolve = std::function<void(json&, const RecordedEvent&)>;

    FunctionProjection(QString name, QString description, ProjectionSource source, Init init, Evolve evolve)
        : m_name(std::move(name))
        , m_description(std::move(description))
        , m_source(std::move(source))
        , m_init(std::move(init))
        , m_evolve(std::move(evolve))
    {
    }

    QString name() const override { return m_name; }
    QString description() const override { return m_description; }
    ProjectionSource source() const override { return m_source; }
    std::unique_ptr<ProjectionFolder> createFolder() const override
    {
        auto folder = std::make_unique<Folder>(m_init, m_evolve);
        folder->reset();
        return folder;
    }

private:
    class Folder final : public JsonFolder {
    public:
        Folder(const Init& init, const Evolve& evolve)
            : m_init(init)
            , m_evolve(evolve)
        {
        }

    protected:
        json initialState() const override { return m_init(); }
        void evolve(json& state, const RecordedEvent& e) const override { m_evolve(state, e); }

    private:
        const Init& m_init;
        const Evolve& m_evolve;
    };

    QString m_name;
    QString m_description;
    ProjectionSource m_source;
    Init m_init;
    Evolve m_evolve;
};

/// A per-stream projection given by two functions.
class FunctionPerStreamProjection final : public PerStreamProjection {
public:
    using Init = std::function<json()>;
    using Evolve = std::function<void(json&, const RecordedEvent&)>;

    FunctionPerStreamProjection(
        QString name, QString description, ProjectionSource source, Init init, Evolve evolve)
        : m_name(std::move(name))
        , m_description(std::move(description))
        , m_source(std::move(source))
        , m_init(std::move(init))
        , m_evolve(std::move(evolve))
    {
    }

    QString name() const override { return m_name; }
    QString description() const override { return m_description; }
    ProjectionSource source() const override { return m_source; }
    json initialStreamState() const override { return m_init(); }
    void evolveStream(json& state, const RecordedEvent& e) const override { m_evolve(state, e); }

private:
    QString m_name;
    QString m_description;
    ProjectionSource m_source;
    Init m_init;
    Evolve m_evolve;
};

json emptyObject()
{
    return json::object();
}

void increment(json& counter)
{
    counter = counter.is_number() ? counter.get<std::int64_t>() + 1 : 1;
}

/// Start of the UTC time bucket holding a timestamp, as text ("2026-01-05" or "2026-01-05T10:00Z").
class BucketKey {
public:
    explicit BucketKey(qint64 bucketMs)
        : m_bucketMs(bucketMs)
    {
    }
    const std::string& operator()(qint64 timestampMs)
    {
        const qint64 bucket
            = timestampMs >= 0 ? timestampMs / m_bucketMs : (timestampMs - m_bucketMs + 1) / m_bucketMs;
        if (bucket != m_last || m_text.empty()) {
            m_last = bucket;
            const auto start = formatTimestamp(bucket * m_bucketMs); // 2026-01-05T10:00:00.000Z
            m_text = key(m_bucketMs >= 86400000 ? start.left(10) : start.left(16) + QLatin1Char('Z'));
        }
        return m_text;
    }

private:
    qint64 m_bucketMs;
    qint64 m_last = 0;
    std::string m_text;
};

std::int64_t intField(const json& data, const char* name)
{
    const auto it = data.find(name);
    if (it == data.end() || !it->is_number_integer())
        throw std::invalid_argument(std::string("the payload has no integer field '") + name + "'");
    return it->get<std::int64_t>();
}

std::string stringField(const json& data, const char* name)
{
    const auto it = data.find(name);
    if (it == data.end() || !it->is_string())
        throw std::invalid_argument(std::string("the payload has no string field '") + name + "'");
    return it->get<std::string>();
}

/// Cart read model: per cart {status, customerId, items: {sku: {quantity, unitPrice}}, itemCount, total}.
// itemCount and total follow what one line changed (amount and quantity before and after)
// rather than adding all lines up again on every event.
void adjustTotals(json& cart, std::int64_t amountBefore, std::int64_t quantityBefore, std::int64_t amount,
    std::int64_t quantity)
{
    cart["total"] = cart.value("total", std::int64_t(0)) - amountBefore + amount;
    cart["itemCount"] = cart.value("itemCount", std::int64_t(0)) - quantityBefore + quantity;
}

json newCart()
{
    return json {{"status", "open"}, {"items", json::object()}, {"itemCount", 0}, {"total", 0}};
}

void evolveCart(json& cart, const RecordedEvent& e)
{
    const auto data = e.dataJson();
    auto& items = cart["items"];
    const QStringView type = e.type;
    if (type == u"CartOpened") {
        cart["status"] = "open";
        cart["customerId"] = stringField(data, "customerId");
    } else if (type == u"ItemAdded") {
        auto& item = items[stringField(data, "sku")];
        if (!item.is_object())
            item = json::object();
        const auto quantityBefore = item.value("quantity", std::int64_t(0));
        const auto priceBefore = item.value("unitPrice", std::int64_t(0));
        const auto quantity = quantityBefore + intField(data, "quantity");
        const auto price = intField(data, "unitPrice");
        item["quantity"] = quantity;
        item["unitPrice"] = price;
        adjustTotals(cart, quantityBefore * priceBefore, quantityBefore, quantity * price, quantity);
    } else if (type == u"ItemRemoved") {
        const auto it = items.find(stringField(data, "sku"));
        if (it != items.end()) {
            const auto quantityBefore = (*it)["quantity"].get<std::int64_t>();
            const auto price = (*it)["unitPrice"].get<std::int64_t>();
            const auto left = std::max<std::int64_t>(quantityBefore - intField(data, "quantity"), 0);
            if (left > 0)
                (*it)["quantity"] = left;
            else
                items.erase(it);
            adjustTotals(cart, quantityBefore * price, quantityBefore, left * price, left);
        }
    } else if (type == u"CartConfirmed") {
        cart["status"] = "confirmed";
    } else if (type == u"CartAbandoned") {
        cart["status"] = "abandoned";
    }
}

/// How many streams stream-lengths lists as the longest.
constexpr int LongestStreams = 20;

/// stream-lengths: the histogram and the longest streams follow each event's version, so the
/// read model stays the same size however many streams the store holds (no per-stream map).
// A stream's length only grows, so keeping the best LongestStreams by (events desc, id asc) and
// letting a stream in when it beats the last one keeps exactly the longest ones.
void evolveLengths(json& s, const RecordedEvent& e)
{
    const auto length = e.version.value;
    if (length < 1)
        return;
    auto& histogram = s["histogram"];
    const auto before = std::size_t(length - 1);
    if (before > 0 && before < histogram.size() && histogram[before].get<std::int64_t>() > 0)
        histogram[before] = histogram[before].get<std::int64_t>() - 1;
    while (histogram.size() <= std::size_t(length))
        histogram.push_back(0);
    histogram[std::size_t(length)] = histogram[std::size_t(length)].get<std::int64_t>() + 1;

    auto& longest = s["longest"];
    const auto id = key(e.stream.toString());
    const auto ranksBefore = [](std::int64_t n, const std::string& a, const json& entry) {
        const auto m = entry["events"].get<std::int64_t>();
        return n != m ? n > m : a < entry["stream"].get_ref<const std::string&>();
    };
    if (longest.size() >= std::size_t(LongestStreams) && !ranksBefore(length, id, longest.back()))
        return; // neither in the list nor entering it
    auto it = std::find_if(longest.begin(), longest.end(),
        [&id](const json& entry) { return entry["stream"].get_ref<const std::string&>() == id; });
    if (it != longest.end())
        longest.erase(it);
    const auto at = std::find_if(
        longest.begin(), longest.end(), [&](const json& entry) { return ranksBefore(length, id, entry); });
    longest.insert(at, json {{"stream", id}, {"events", length}});
    if (longest.size() > std::size_t(LongestStreams))
        longest.erase(longest.end() - 1);
}

} // namespace

QStringList builtinProjectionNames()
{
    return {QStringLiteral("events-by-type"), QStringLiteral("events-by-category"),
        QStringLiteral("events-per-hour"), QStringLiteral("events-per-day"), QStringLiteral("stream-lengths"),
        QStringLiteral("cart-summaries"), QStringLiteral("revenue-per-day")};
}

std::shared_ptr<const Projection> builtinProjection(const QString& name)
{
    const auto all = ProjectionSource::all();
    if (name == QLatin1String("events-by-type"))
        return std::make_shared<FunctionProjection>(name,
            QStringLiteral("Number of events per event type: {TYPE: n}."), all, emptyObject,
            [](json& s, const RecordedEvent& e) { increment(s[key(e.type)]); });
    if (name == QLatin1String("events-by-category"))
        return std::make_shared<FunctionProjection>(name,
            QStringLiteral(
                "Number of events per stream category: {category: n}; \"\" for streams without one."),
            all, emptyObject,
            [](json& s, const RecordedEvent& e) { increment(s[key(e.stream.category())]); });
    if (name == QLatin1String("events-per-hour") || name == QLatin1String("events-per-day")) {
        const bool hour = name == QLatin1String("events-per-hour");
        auto bucket = std::make_shared<BucketKey>(hour ? 3600000 : 86400000);
        return std::make_shared<FunctionProjection>(name,
            hour ? QStringLiteral("Number of events per UTC hour: {\"2026-01-05T10:00Z\": n}.")
                 : QStringLiteral("Number of events per UTC day: {\"2026-01-05\": n}."),
            all, emptyObject,
            [bucket](json& s, const RecordedEvent& e) { increment(s[(*bucket)(e.timestampMs)]); });
    }
    if (name == QLatin1String("stream-lengths"))
        return std::make_shared<FunctionProjection>(
            name,
            QStringLiteral("Streams by length: {\"histogram\": [h0, h1, ...]} where hN is the number of "
                           "streams with N events, and {\"longest\": [{\"stream\", \"events\"}, ...]}, the "
                           "%1 longest (a stream's length is its version: its number of events when the "
                           "log holds all of them).")
                .arg(LongestStreams),
            all,
            [] {
                return json {{"histogram", json::array({0})}, {"longest", json::array()}};
            },
            evolveLengths);
    if (name == QLatin1String("cart-summaries")) {
        auto source = ProjectionSource::fromCategory(QStringLiteral("cart"));
        return std::make_shared<FunctionPerStreamProjection>(name,
            QStringLiteral("Per cart of the sample shop: {cartId: {status, customerId, items: {sku: "
                           "{quantity, unitPrice}}, itemCount, total (cents)}}; kept per stream, so the "
                           "window folds the carts it shows from their streams."),
            source, newCart, evolveCart);
    }
    if (name == QLatin1String("revenue-per-day")) {
        auto source = ProjectionSource::all();
        source.types = {QStringLiteral("OrderPaid")};
        auto bucket = std::make_shared<BucketKey>(86400000);
        return std::make_shared<FunctionProjection>(name,
            QStringLiteral("Revenue of the sample shop per UTC day in cents, from OrderPaid amounts "
                           "(a captured payment recorded on its order): {\"2026-01-05\": cents}."),
            source, emptyObject, [bucket](json& s, const RecordedEvent& e) {
                auto& day = s[(*bucket)(e.timestampMs)];
                day = (day.is_number() ? day.get<std::int64_t>() : 0) + intField(e.dataJson(), "amount");
            });
    }
    throw InvalidInput(QStringLiteral("unknown built-in projection '%1'; known: %2")
                           .arg(name, builtinProjectionNames().join(QStringLiteral(", "))));
}

} // namespace chronoscope
