// Evaluated by JsProjection after the user's script, to a function of (global, originals)
// returning the API that C++ calls: folds whole batches in JavaScript; the state stays in the
// engine between batches and crosses into C++ only when asked for; `at` is the index of the
// event being handled. It uses JSON as it was before the user's script ran.
(function (g, o) {
    var stringify = o.stringify, parse = o.parse;
    var cs = g.__cs;
    if (!cs.defined)
        return null;
    var h = cs.handlers;
    var own = Object.prototype.hasOwnProperty;
    var any = typeof h.$any === 'function' ? h.$any : null;
    function init() {
        var s = typeof h.$init === 'function' ? h.$init() : {};
        return s === undefined ? {} : s;
    }
    var cache = {};
    function handlerFor(type) {
        if (own.call(cache, type))
            return cache[type];
        var f = (type.charAt(0) !== '$' && own.call(h, type) && typeof h[type] === 'function') ? h[type] : any;
        cache[type] = f;
        return f;
    }
    // An event handed to a handler. Its payload, metadata and id stay text until a handler reads
    // them, so events nobody looks into cost little (one JSON.parse per payload read).
    function Ev(b, i, type, stream, version, position, ts, d0, d1, r0, r1) {
        this.eventType = type;
        this.streamId = stream;
        this.version = version;
        this.position = position;
        this._b = b; this._i = i; this._ts = ts; this._d0 = d0; this._d1 = d1; this._r0 = r0; this._r1 = r1;
        this._data = undefined; this._meta = undefined;
    }
    function parsePart(text, from, to, what) {
        try {
            return parse(text.substring(from, to));
        } catch (err) {
            throw new SyntaxError('the ' + what + ' of this event is not valid JSON: ' + err.message);
        }
    }
    function accessor(get, set) { return { get: get, set: set, enumerable: true, configurable: true }; }
    function data() {
        if (this._data === undefined)
            this._data = parsePart(this._b.data, this._d0, this._d1, 'data');
        return this._data;
    }
    function setData(v) { this._data = v; }
    Object.defineProperties(Ev.prototype, {
        type: accessor(function () { return this.eventType; }),
        data: accessor(data, setData),
        body: accessor(data, setData),
        metadata: accessor(function () {
            if (this._meta === undefined)
                this._meta = parsePart(this._b.rest, this._r0 + 36, this._r1, 'metadata');
            return this._meta;
        }, function (v) { this._meta = v; }),
        eventId: accessor(function () { return this._b.rest.substring(this._r0, this._r0 + 36); }),
        sequenceNumber: accessor(function () { return this.version - 1; }),
        category: accessor(function () {
            var dash = this.streamId.indexOf('-');
            return dash > 0 ? this.streamId.substring(0, dash) : '';
        }),
        timestamp: accessor(function () { return new Date(this._ts).toISOString(); }),
        isJson: accessor(function () { return true; })
    });
    Ev.prototype.toJSON = function () {
        return { eventType: this.eventType, type: this.eventType, streamId: this.streamId, category: this.category,
                 version: this.version, sequenceNumber: this.sequenceNumber, position: this.position,
                 timestamp: this.timestamp, eventId: this.eventId, data: this.data, metadata: this.metadata };
    };
    var state;
    var self = {
        at: -1,
        describe: function () {
            return stringify({ source: cs.source, foreach: cs.foreach, options: cs.options });
        },
        reset: function () { state = cs.foreach ? {} : init(); },
        apply: function (header, dataText, restText) {
            self.at = -1;
            var h = parse(header), types = h.t, streams = h.s, n = h.e, k = 0;
            var b = { data: dataText, rest: restText };
            for (var i = 0; k < n.length; ++i, k += 9) {
                self.at = i;
                var e = new Ev(b, i, types[n[k]], streams[n[k + 1]], n[k + 2], n[k + 3], n[k + 4], n[k + 5],
                               n[k + 6], n[k + 7], n[k + 8]);
                var f = handlerFor(e.eventType);
                var r;
                if (cs.foreach) {
                    var s = own.call(state, e.streamId) ? state[e.streamId] : init();
                    if (f) {
                        r = f(s, e);
                        if (r !== undefined)
                            s = r;
                    }
                    state[e.streamId] = s;
                } else if (f) {
                    r = f(state, e);
                    if (r !== undefined)
                        state = r;
                }
            }
        },
        get: function () {
            var text = stringify(state);
            if (text === undefined)
                throw new TypeError('the state is not a JSON value (' + typeof state + ')');
            return text;
        },
        load: function (text) { state = parse(text); }
    };
    return self;
})
