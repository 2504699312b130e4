// Evaluated by JsReducer (core/replay/jsreducer.cpp) after the user's script.
// A function of (global, originals) that finds the
// script's functions and returns {at, init, fold}; fold runs whole batches in JavaScript so the
// state crosses the C++/JS boundary once per batch, and `at` is the index of the event being
// folded. It uses JSON as it was before the user's script ran.
(function (g, o) {
    var stringify = o.stringify, parse = o.parse;
    var api = (g.module && g.module.exports && typeof g.module.exports.evolve === 'function')
        ? g.module.exports
        : { evolve: g.__chronoscopeEvolve, initialState: g.__chronoscopeInitialState };
    var evolve = api.evolve, initialState = api.initialState;
    if (typeof evolve !== 'function')
        return null;
    var self = {
        at: 0,
        init: function (streamId) {
            var s = (typeof initialState === 'function') ? initialState(streamId) : initialState;
            if (s === undefined)
                s = {};
            var out = stringify(s);
            if (out === undefined)
                throw new TypeError('initialState is not a JSON value (' + typeof s + ')');
            return out;
        },
        fold: function (stateJson, eventsJson) {
            var state = parse(stateJson);
            var events = parse(eventsJson);
            for (var i = 0; i < events.length; ++i) {
                self.at = i;
                state = evolve(state, events[i]);
                if (state === undefined)
                    throw new TypeError('evolve returned undefined');
                if (typeof state === 'function')
                    throw new TypeError('evolve returned a function, not a JSON value');
            }
            self.at = events.length - 1;
            var out;
            try {
                out = stringify(state);
            } catch (error) {
                self.at = firstNotJson(stateJson, events);
                throw error;
            }
            if (out === undefined) {
                self.at = firstNotJson(stateJson, events);
                throw new TypeError('evolve returned a value that is not JSON (' + typeof state + ')');
            }
            return out;
        }
    };
    return self;
    // The state is serialised once per batch; when that fails (a cycle, a BigInt...), folds the
    // batch again checking after every event, so the error names the event that caused it.
    function firstNotJson(stateJson, events) {
        try {
            var s = parse(stateJson);
            for (var i = 0; i < events.length; ++i) {
                s = evolve(s, events[i]);
                if (stringify(s) === undefined)
                    return i;
            }
        } catch (e) {
            return i;
        }
        return events.length - 1;
    }
})
