#include "spec/givenwhenthen.h"

#include "base/errors.h"
#include "json/jsondepth.h"
#include "json/jsonerror.h"
#include "sample/commands.h"
#include "store/memoryeventstore.h"
#include "story/story.h"

#include <QStringList>

#include <algorithm>

namespace chronoscope::spec {

namespace {

using json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

QString text(const json& value)
{
    return QString::fromStdString(value.get<std::string>());
}

// Where an error is: "cases[2] (\"confirm twice\")".
QString caseName(int index, const json& object)
{
    const auto name = object.find("name");
    if (name != object.end() && name->is_string())
        return QStringLiteral("cases[%1] (\"%2\")").arg(index).arg(text(*name));
    return QStringLiteral("cases[%1]").arg(index);
}

[[noreturn]] void fail(const QString& where, const QString& member, const QString& why)
{
    throw InvalidInput(QStringLiteral("%1: member \"%2\": %3").arg(where, member, why));
}

std::vector<SpecEvent> parseEvents(
    const json& object, const char* member, const QString& where, bool withStream)
{
    std::vector<SpecEvent> out;
    const auto it = object.find(member);
    if (it == object.end())
        return out;
    if (!it->is_array())
        fail(where, QLatin1String(member), QStringLiteral("must be an array of {\"type\",\"data\"}"));
    if (int(it->size()) > MaxCaseEvents)
        fail(where, QLatin1String(member), QStringLiteral("more than %1 events").arg(MaxCaseEvents));
    int i = 0;
    for (const json& event : *it) {
        const QString at = QStringLiteral("%1[%2]").arg(QLatin1String(member)).arg(i++);
        if (!event.is_object())
            fail(where, at, QStringLiteral("must be an object {\"type\",\"data\"}"));
        const auto type = event.find("type");
        if (type == event.end() || !type->is_string() || type->get<std::string>().empty())
            fail(where, at + QStringLiteral(".type"), QStringLiteral("must be a non-empty string"));
        SpecEvent e;
        e.type = text(*type);
        const auto data = event.find("data");
        if (data != event.end()) {
            if (!data->is_object())
                fail(where, at + QStringLiteral(".data"), QStringLiteral("must be an object"));
            e.data = *data;
        }
        const auto stream = event.find("stream");
        if (stream != event.end()) {
            if (!withStream)
                fail(where, at + QStringLiteral(".stream"),
                    QStringLiteral("then's events are the case's stream's"));
            if (!stream->is_string() || stream->get<std::string>().empty())
                fail(where, at + QStringLiteral(".stream"), QStringLiteral("must be a non-empty string"));
            e.stream = text(*stream);
        }
        out.push_back(std::move(e));
    }
    return out;
}

OrderedJson eventsJson(const std::vector<SpecEvent>& events, bool withStream)
{
    OrderedJson out = OrderedJson::array();
    for (const SpecEvent& e : events) {
        OrderedJson one;
        if (withStream && !e.stream.isEmpty())
            one["stream"] = e.stream.toStdString();
        one["type"] = e.type.toStdString();
        one["data"] = OrderedJson::parse(e.data.dump());
        out.push_back(std::move(one));
    }
    return out;
}

json asEvent(const SpecEvent& e)
{
    return json {{"type", e.type.toStdString()}, {"data", e.data}};
}

// A C++ string literal of `bytes` (UTF-8 kept, quotes, backslashes and controls escaped).
std::string cString(const std::string& bytes)
{
    std::string out = "\"";
    for (const unsigned char c : bytes) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20 || c == 0x7f) {
            static const char* digits = "01234567";
            out += '\\';
            out += digits[(c >> 6) & 7];
            out += digits[(c >> 3) & 7];
            out += digits[c & 7];
        } else if (c == '?') {
            out += "\\?"; // no trigraphs
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

// A JavaScript string literal (JSON's is one).
std::string jsString(const QString& text)
{
    return json(text.toStdString()).dump();
}

} // namespace

Spec parseSpec(const json& document)
{
    if (!document.is_object())
        throw InvalidInput(QStringLiteral("a specification is a JSON object {\"cases\":[...]}"));
    const auto cases = document.find("cases");
    if (cases == document.end() || !cases->is_array())
        throw InvalidInput(QStringLiteral("a specification needs a \"cases\" array"));
    if (cases->empty())
        throw InvalidInput(QStringLiteral("the specification has no cases"));
    if (int(cases->size()) > MaxCases)
        throw InvalidInput(QStringLiteral("the specification has more than %1 cases").arg(MaxCases));
    Spec spec;
    int index = 0;
    for (const json& object : *cases) {
        const QString where = caseName(index++, object);
        if (!object.is_object())
            throw InvalidInput(
                QStringLiteral("%1: must be an object {\"name\",\"stream\",\"given\",\"when\",\"then\"}")
                    .arg(where));
        SpecCase c;
        const auto name = object.find("name");
        if (name == object.end() || !name->is_string() || name->get<std::string>().empty())
            fail(where, QStringLiteral("name"), QStringLiteral("must be a non-empty string"));
        c.name = text(*name);
        const auto stream = object.find("stream");
        if (stream == object.end() || !stream->is_string() || stream->get<std::string>().empty())
            fail(where, QStringLiteral("stream"),
                QStringLiteral("must be a non-empty string (the aggregate's stream id)"));
        c.stream = StreamId(text(*stream));
        c.given = parseEvents(object, "given", where, true);
        const auto when = object.find("when");
        if (when == object.end() || !when->is_object())
            fail(where, QStringLiteral("when"),
                QStringLiteral("must be an object {\"type\",\"data\"} (the command)"));
        const auto type = when->find("type");
        if (type == when->end() || !type->is_string())
            fail(where, QStringLiteral("when.type"), QStringLiteral("must be a string (a command type)"));
        c.whenType = text(*type);
        if (!sample::findCommandSpec(c.whenType)) {
            QStringList known;
            for (const auto& commandSpec : sample::commandSpecs())
                known << commandSpec.type;
            fail(where, QStringLiteral("when.type"),
                QStringLiteral("unknown command type '%1' (known: %2)")
                    .arg(c.whenType, known.join(QStringLiteral(", "))));
        }
        const auto data = when->find("data");
        if (data != when->end()) {
            if (!data->is_object())
                fail(where, QStringLiteral("when.data"), QStringLiteral("must be an object"));
            c.whenData = *data;
        }
        const bool hasThen = object.contains("then");
        const bool hasError = object.contains("thenError");
        if (hasThen == hasError)
            fail(where, QStringLiteral("then"),
                QStringLiteral("give either \"then\" (the events) or \"thenError\" (the refusal's text), not "
                               "both or neither"));
        if (hasThen)
            c.then = parseEvents(object, "then", where, false);
        if (hasError) {
            const json& error = object.at("thenError");
            if (!error.is_string() || error.get<std::string>().empty())
                fail(where, QStringLiteral("thenError"), QStringLiteral("must be a non-empty string"));
            c.thenError = text(error);
        }
        spec.cases.push_back(std::move(c));
    }
    return spec;
}

Spec parseSpec(const QByteArray& bytes)
{
    json document;
    jsondepth::check(
        std::string_view(bytes.constData(), std::size_t(bytes.size())), QStringLiteral("the specification"));
    try {
        document = json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const json::exception& e) { // parse_error, or out_of_range for a number like 1e999
        throw InvalidInput(QStringLiteral("the specification is not JSON: %1").arg(jsonerror::text(e)));
    }
    return parseSpec(document);
}

OrderedJson toJson(const Spec& spec)
{
    OrderedJson cases = OrderedJson::array();
    for (const SpecCase& c : spec.cases) {
        OrderedJson one;
        one["name"] = c.name.toStdString();
        one["stream"] = c.stream.toString().toStdString();
        one["given"] = eventsJson(c.given, true);
        one["when"] = OrderedJson {
            {"type", c.whenType.toStdString()}, {"data", OrderedJson::parse(c.whenData.dump())}};
        if (c.then)
            one["then"] = eventsJson(*c.then, false);
        else
            one["thenError"] = c.thenError.value_or(QString()).toStdString();
        cases.push_back(std::move(one));
    }
    return OrderedJson {{"cases", std::move(cases)}};
}

CaseResult runCase(const SpecCase& c)
{
    CaseResult result;
    result.name = c.name;
    MemoryEventStore store;
    int index = 0;
    for (const SpecEvent& e : c.given) {
        const StreamId stream = e.stream.isEmpty() ? c.stream : StreamId(e.stream);
        try {
            EventData data;
            data.type = e.type;
            data.data = QByteArray::fromStdString(e.data.dump());
            data.metadata = QByteArray("{}");
            store.append(stream, {data}, ExpectedVersion::any());
        } catch (const StoreError& error) {
            result.message
                = QStringLiteral("given[%1] could not be stored: %2").arg(index).arg(error.message());
            return result;
        }
        ++index;
    }
    try {
        const sample::Command command = sample::parseCommand(json {{"type", c.whenType.toStdString()},
            {"stream", c.stream.toString().toStdString()}, {"data", c.whenData}});
        sample::CommandHandler handler(store);
        const sample::CommandResult handled = handler.handle(command);
        for (const RecordedEvent& event : handled.events)
            result.produced.push_back({event.type, event.dataJson(), {}});
    } catch (const StoreError& error) { // a rule broken (DomainError) or a malformed command
        result.error = error.message();
    }

    if (c.thenError) {
        if (result.error && result.error->contains(*c.thenError, Qt::CaseInsensitive)) {
            result.passed = true;
        } else if (result.error) {
            result.message = QStringLiteral("refused with \"%1\", which does not contain \"%2\"")
                                 .arg(*result.error, *c.thenError);
        } else {
            result.message
                = QStringLiteral("expected a refusal containing \"%1\"; the command produced %2 event(s)")
                      .arg(*c.thenError)
                      .arg(result.produced.size());
            result.event = 0;
        }
        return result;
    }
    if (result.error) {
        result.message = QStringLiteral("refused: %1").arg(*result.error);
        return result;
    }
    const std::vector<SpecEvent>& expected = *c.then;
    const size_t common = std::min(expected.size(), result.produced.size());
    for (size_t i = 0; i < common; ++i) {
        const json want = asEvent(expected[i]);
        const json got = asEvent(result.produced[i]);
        const json patch = json::diff(want, got);
        if (patch.empty())
            continue;
        const std::string path = patch.front().value("path", std::string());
        const json::json_pointer pointer(path);
        result.event = int(i);
        result.pointer = QString::fromStdString(path);
        result.expected = want.contains(pointer) ? want.at(pointer) : json();
        result.actual = got.contains(pointer) ? got.at(pointer) : json();
        result.message
            = QStringLiteral("event %1 differs at %2")
                  .arg(i)
                  .arg(result.pointer.isEmpty() ? QStringLiteral("(the whole event)") : result.pointer);
        return result;
    }
    if (expected.size() != result.produced.size()) {
        result.event = int(common);
        result.message = QStringLiteral("expected %1 event(s), the command produced %2")
                             .arg(expected.size())
                             .arg(result.produced.size());
        return result;
    }
    result.passed = true;
    return result;
}

OrderedJson toJson(const CaseResult& r)
{
    OrderedJson out;
    out["name"] = r.name.toStdString();
    out["passed"] = r.passed;
    if (!r.passed) {
        out["message"] = r.message.toStdString();
        if (r.event) {
            out["event"] = *r.event;
            out["pointer"] = r.pointer.toStdString();
        }
        if (r.expected)
            out["expected"] = OrderedJson::parse(r.expected->dump());
        if (r.actual)
            out["actual"] = OrderedJson::parse(r.actual->dump());
        out["produced"] = eventsJson(r.produced, false);
        if (r.error)
            out["error"] = r.error->toStdString();
    }
    return out;
}

Spec exportSpec(const EventStore& store, const StreamId& stream, Version from, Version to)
{
    const auto info = store.streamInfo(stream);
    if (!info || info->version.value < 1)
        throw InvalidInput(QStringLiteral("no stream '%1' in the store").arg(stream.toString()));
    if (from.value < 1 || to.value < from.value || to.value > info->version.value)
        throw InvalidInput(QStringLiteral("versions %1..%2 are not in %3 (versions 1..%4)")
                               .arg(from.value)
                               .arg(to.value)
                               .arg(stream.toString())
                               .arg(info->version.value));
    if (to.value - from.value + 1 > MaxCaseEvents || from.value - 1 > MaxCaseEvents)
        throw InvalidInput(QStringLiteral("%1 is too long to export as a specification (at most %2 events)")
                               .arg(stream.toString())
                               .arg(MaxCaseEvents));
    const auto selected = store.readStream(stream, from, to.value - from.value + 1);
    // One case per command: consecutive events with the same commandId.
    std::vector<std::vector<RecordedEvent>> groups;
    QString lastCommand;
    for (const RecordedEvent& event : selected) {
        QString command;
        try {
            command = QString::fromStdString(event.metadataJson().value("commandId", std::string()));
        } catch (const std::exception&) {
        }
        if (groups.empty() || command.isEmpty() || command != lastCommand)
            groups.emplace_back();
        groups.back().push_back(event);
        lastCommand = command;
    }
    Spec spec;
    for (const auto& group : groups) {
        const RecordedEvent& first = group.front();
        const QString commandType = storyIds(first).commandType;
        const sample::CommandSpec* commandSpec = sample::findCommandSpec(commandType);
        if (!commandSpec)
            continue; // no command known for it (a foreign store, or hand-written events)
        SpecCase c;
        c.stream = stream;
        c.whenType = commandType;
        const json data = first.dataJson();
        for (const sample::FieldSpec& field : commandSpec->fields) {
            const std::string name = field.name.toStdString();
            if (data.is_object() && data.contains(name))
                c.whenData[name] = data.at(name);
        }
        for (const RecordedEvent& earlier : store.readStream(stream, std::nullopt, first.version.value - 1))
            c.given.push_back({earlier.type, earlier.dataJson(), {}});
        // The streams the command reads, as they were before it.
        sample::Command command;
        command.type = commandType;
        command.stream = stream;
        command.data = c.whenData;
        for (const QString& related : sample::relatedStreams(command)) {
            if (related == stream.toString())
                continue;
            for (const RecordedEvent& other :
                store.readStream(StreamId(related), std::nullopt, MaxCaseEvents)) {
                if (other.position.value >= first.position.value)
                    break;
                c.given.push_back({other.type, other.dataJson(), related});
            }
        }
        c.then = std::vector<SpecEvent>();
        for (const RecordedEvent& event : group)
            c.then->push_back({event.type, event.dataJson(), {}});
        const qint64 last = group.back().version.value;
        c.name = first.version.value == last
            ? QStringLiteral("%1 v%2 %3").arg(stream.toString()).arg(last).arg(commandType)
            : QStringLiteral("%1 v%2-v%3 %4")
                  .arg(stream.toString())
                  .arg(first.version.value)
                  .arg(last)
                  .arg(commandType);
        spec.cases.push_back(std::move(c));
    }
    if (spec.cases.empty())
        throw InvalidInput(
            QStringLiteral("none of %1 v%2..v%3 names a command of the sample domain in its metadata "
                           "(commandType)")
                .arg(stream.toString())
                .arg(from.value)
                .arg(to.value));
    return spec;
}

QString toQtTest(const Spec& spec, const QString& className)
{
    QString base = className;
    if (base.startsWith(QLatin1String("Test")))
        base = base.mid(4);
    const QString file = QStringLiteral("tst_") + base.toLower();
    std::string out;
    out += "// Generated by chronoscope-cli spec export: given / when / then cases of the sample shop,\n"
           "// run against Chronoscope's sample domain (link chronoscope::core and Qt6::Test).\n"
           "// Save as "
        + file.toStdString()
        + ".cpp.\n"
          "#include \"sample/commands.h\"\n#include \"store/memoryeventstore.h\"\n\n#include <QTest>\n\n"
          "using namespace chronoscope;\nusing json = nlohmann::json;\n\nnamespace {\n\n"
          "struct Case {\n    const char* name;\n    const char* stream;\n    const char* given; // JSON "
          "array\n"
          "    const char* whenType;\n    const char* whenData; // JSON object\n"
          "    const char* then; // JSON array, or nullptr when refused\n"
          "    const char* thenError; // what the refusal says, or nullptr\n};\n\nconst Case Cases[] = {\n";
    for (const SpecCase& c : spec.cases) {
        out += "    {" + cString(c.name.toStdString()) + ",\n     "
            + cString(c.stream.toString().toStdString()) + ",\n     "
            + cString(eventsJson(c.given, true).dump()) + ",\n     " + cString(c.whenType.toStdString())
            + ", " + cString(c.whenData.dump()) + ",\n     "
            + (c.then ? cString(eventsJson(*c.then, false).dump()) : std::string("nullptr")) + ", "
            + (c.thenError ? cString(c.thenError->toStdString()) : std::string("nullptr")) + "},\n";
    }
    out += "};\n\n} // namespace\n\n";
    const std::string name = className.toStdString();
    out += "class " + name
        + " : public QObject {\n    Q_OBJECT\nprivate Q_SLOTS:\n    void cases_data();\n    void "
          "cases();\n};\n\n";
    out += "void " + name
        + "::cases_data()\n{\n    QTest::addColumn<int>(\"index\");\n"
          "    for (int i = 0; i < int(std::size(Cases)); ++i)\n        QTest::newRow(Cases[i].name) << "
          "i;\n}\n\n";
    out += "void " + name
        + "::cases()\n{\n    QFETCH(int, index);\n    const Case& c = Cases[index];\n"
          "    MemoryEventStore store;\n"
          "    for (const json& e : json::parse(c.given)) {\n"
          "        const StreamId stream(QString::fromStdString(e.value(\"stream\", "
          "std::string(c.stream))));\n"
          "        EventData event;\n"
          "        event.type = QString::fromStdString(e.at(\"type\").get<std::string>());\n"
          "        event.data = QByteArray::fromStdString(e.at(\"data\").dump());\n"
          "        event.metadata = QByteArray(\"{}\");\n"
          "        store.append(stream, {event}, ExpectedVersion::any());\n    }\n"
          "    sample::CommandHandler handler(store);\n"
          "    const json command {{\"type\", c.whenType}, {\"stream\", c.stream}, {\"data\", "
          "json::parse(c.whenData)}};\n"
          "    if (c.thenError) {\n        try {\n            "
          "handler.handle(sample::parseCommand(command));\n"
          "        } catch (const StoreError& e) {\n"
          "            QVERIFY2(e.message().contains(QString::fromUtf8(c.thenError), Qt::CaseInsensitive), "
          "qPrintable(e.message()));\n"
          "            return;\n        }\n        QFAIL(\"the command was not refused\");\n    }\n"
          "    const auto result = handler.handle(sample::parseCommand(command));\n"
          "    json produced = json::array();\n"
          "    for (const RecordedEvent& e : result.events)\n"
          "        produced.push_back({{\"type\", e.type.toStdString()}, {\"data\", e.dataJson()}});\n"
          "    QCOMPARE(QString::fromStdString(produced.dump()), "
          "QString::fromStdString(json::parse(c.then).dump()));\n}\n\n";
    out += "QTEST_MAIN(" + name + ")\n#include \"" + file.toStdString() + ".moc\"\n";
    return QString::fromStdString(out);
}

QString toJest(const Spec& spec)
{
    std::string out;
    out += "// Generated by chronoscope-cli spec export: given / when / then cases of the sample shop in "
           "the\n"
           "// style of Emmett's DeciderSpecification. `decider` is your shop's decider ({ decide, evolve,\n"
           "// initialState }) for the aggregate of each case's stream.\n"
           "import { DeciderSpecification } from '@event-driven-io/emmett';\n"
           "import { decider } from './decider';\n\n"
           "const given = DeciderSpecification.for(decider);\n\n"
           "describe('sample shop', () => {\n";
    for (const SpecCase& c : spec.cases) {
        std::vector<SpecEvent> own;
        QStringList others;
        for (const SpecEvent& e : c.given) {
            if (e.stream.isEmpty() || e.stream == c.stream.toString())
                own.push_back(e);
            else if (!others.contains(e.stream))
                others << e.stream;
        }
        out += "  it(" + jsString(c.name) + ", () =>\n";
        if (!others.isEmpty())
            out += "    // The command also reads " + others.join(QStringLiteral(", ")).toStdString()
                + ": give your decider their state as it needs.\n";
        out += "    given(" + eventsJson(own, false).dump() + ")\n";
        out += "      .when("
            + OrderedJson {{"type", c.whenType.toStdString()},
                {"data", OrderedJson::parse(c.whenData.dump())}}
                  .dump()
            + ")\n";
        if (c.then)
            out += "      .then(" + eventsJson(*c.then, false).dump() + "));\n";
        else
            out += "      .thenThrows((error) => error.message.includes(" + jsString(*c.thenError) + ")));\n";
    }
    out += "});\n";
    return QString::fromStdString(out);
}

} // namespace chronoscope::spec
