#pragma once

#include "race/race.h"

#include <QPointer>
#include <QWidget>

#include <array>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;

namespace chronoscope {

class JsonEdit;
class Publisher;
class SequenceDiagram;

/// The Race Simulator dock: a stream, two writers' commands, a button per step (A loads, A
/// appends, B loads, B appends, Retry), the expectation of appends (expected version or last
/// write wins), a sentence saying what just happened and the race as a sequence diagram.
/// Appends go through the window's Publisher, so the event table and the bus see them.
class RacePanel : public QWidget {
    Q_OBJECT
public:
    explicit RacePanel(QWidget* parent = nullptr);
    ~RacePanel() override;

    /// The store to race on and the publisher that appends to it; a null publisher disables the
    /// steps, each button's tooltip saying `why`. The race starts again.
    void setStore(std::shared_ptr<EventStore> store, Publisher* publisher, const QString& why);

    /// Races on `stream` ("new": a new cart, cart-race-N). "" when done, else what was wrong.
    QString setStream(const QString& stream);
    /// Puts `command` ({"type","data"}) in the writer's editors. "" when done, else what is wrong.
    QString setCommand(race::Writer writer, const nlohmann::json& command);
    /// The steps of the buttons, as a click runs them (also for lessons and tests).
    void load(race::Writer writer);
    void append(race::Writer writer);
    void retry(race::Writer writer);
    void startNewCart();
    void resetRace();

    /// The simulator (nullptr while there is no writable store).
    const race::RaceSimulator* simulator() const { return m_race.get(); }
    /// Counts for lessons (RaceSimulator::facts(), plus "writable").
    nlohmann::json facts() const;
    /// What just happened, in plain words.
    QString statusText() const;
    bool canStep() const { return m_race != nullptr; }

    SequenceDiagram* diagram() const { return m_diagram; }
    QComboBox* streamBox() const { return m_stream; }
    QComboBox* modeBox() const { return m_mode; }
    QComboBox* typeBox(race::Writer writer) const { return m_writers[index(writer)].type; }
    JsonEdit* dataEdit(race::Writer writer) const { return m_writers[index(writer)].data; }
    QPushButton* loadButton(race::Writer writer) const { return m_writers[index(writer)].load; }
    QPushButton* appendButton(race::Writer writer) const { return m_writers[index(writer)].append; }
    QPushButton* retryButton(race::Writer writer) const { return m_writers[index(writer)].retry; }
    QPushButton* newCartButton() const { return m_newCart; }
    QPushButton* resetButton() const { return m_reset; }

Q_SIGNALS:
    /// A step ran (or was refused): the diagram and the status changed.
    void stepTaken();
    /// The race is now on STREAM (picked, set by a lesson or a new cart): the window shows it.
    void raceStreamChanged(const StreamId& stream);

private:
    struct WriterWidgets {
        QComboBox* type = nullptr;
        JsonEdit* data = nullptr;
        QPushButton* load = nullptr;
        QPushButton* append = nullptr;
        QPushButton* retry = nullptr;
    };
    static std::size_t index(race::Writer writer) { return writer == race::Writer::A ? 0 : 1; }

    QWidget* makeWriter(race::Writer writer);
    QString newCart();
    void fillTypes(race::Writer writer);
    void fillStreams();
    bool applyStream();
    bool applyCommand(race::Writer writer);
    void run(const std::function<race::RaceStep()>& step);
    void showSteps();
    void say(const QString& text, bool error = false);
    void updateButtons();

    std::shared_ptr<EventStore> m_store;
    QPointer<Publisher> m_publisher;
    std::unique_ptr<race::RaceSimulator> m_race;
    QString m_why;
    QComboBox* m_stream;
    QPushButton* m_newCart;
    QPushButton* m_reset;
    QComboBox* m_mode;
    std::array<WriterWidgets, 2> m_writers;
    QLabel* m_status;
    SequenceDiagram* m_diagram;
    QScrollArea* m_scroll;
};

} // namespace chronoscope
