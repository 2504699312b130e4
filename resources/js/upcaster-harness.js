// Evaluated by JsUpcasters (core/upcast/jsupcaster.cpp) after the user's script.
// A function of (global, originals) that finds the
// declarations and returns {at, declarations, hasGlobal, run}: run applies one entry's function
// to a batch of events, checking that every result is JSON, and returns the results' JSON
// texts one a line; `at` is the index of the event being upcast. It uses JSON as it was before
// the user's script ran.
(function (g, o) {
    var stringify = o.stringify, parse = o.parse;
    var api = (g.module && g.module.exports && g.module.exports.upcasters !== undefined)
        ? g.module.exports
        : { upcasters: g.__chronoscopeUpcasters, upcast: g.__chronoscopeUpcast };
    var list = api.upcasters, upcast = api.upcast;
    if (!Array.isArray(list))
        return null;
    var self = {
        at: 0,
        declarations: function () {
            return stringify(list.map(function (u) {
                var object = u !== null && typeof u === 'object';
                return {
                    object: object,
                    type: object ? u.type : undefined,
                    from: object ? u.from : undefined,
                    to: object ? u.to : undefined,
                    own: object && typeof u.upcast === 'function'
                };
            }));
        },
        hasGlobal: function () { return typeof upcast === 'function'; },
        run: function (index, eventsJson) {
            var u = list[index];
            var fn = (u && typeof u.upcast === 'function') ? u.upcast : upcast;
            var events = parse(eventsJson);
            var out = '';
            for (var i = 0; i < events.length; ++i) {
                self.at = i;
                var result = fn.call(u, events[i]);
                if (result === undefined)
                    throw new TypeError('upcast returned undefined: it must return the new data');
                if (typeof result === 'function')
                    throw new TypeError('upcast returned a function, not JSON data');
                var text = stringify(result);
                if (text === undefined)
                    throw new TypeError('upcast returned a value that is not JSON (' + typeof result + ')');
                out += (i > 0 ? '\n' : '') + text; // JSON text without indentation has no line breaks
            }
            return out;
        }
    };
    return self;
})
