// Evaluated by JsProjection (core/projections/jsprojection.cpp) before the user's script: the
// EventStoreDB projection API, recording what the script asks for in __cs. No console, file,
// network or process access is installed.
var __cs = { defined: false, source: { kind: 'all' }, foreach: false, handlers: {}, options: {} };
function options(o) { __cs.options = (o === undefined || o === null) ? {} : o; }
function __csSelection() {
    var sel = {
        foreachStream: function () { __cs.foreach = true; return sel; },
        when: function (handlers) {
            if (handlers === null || typeof handlers !== 'object')
                throw new TypeError('when() expects an object of handlers, e.g. { $init: ..., TYPE: ... }');
            __cs.handlers = handlers;
            __cs.defined = true;
            return sel;
        },
        outputState: function () { return sel; }
    };
    return sel;
}
function fromAll() { __cs.source = { kind: 'all' }; return __csSelection(); }
function fromCategory(c) { __cs.source = { kind: 'category', category: String(c) }; return __csSelection(); }
function fromStream(s) { __cs.source = { kind: 'streams', streams: [String(s)] }; return __csSelection(); }
function fromStreams() {
    var list = (arguments.length === 1 && Array.isArray(arguments[0])) ? arguments[0]
        : Array.prototype.slice.call(arguments);
    __cs.source = { kind: 'streams', streams: list.map(String) };
    return __csSelection();
}
function emit() { throw new Error('emit() is not supported: Chronoscope projections build a read model only'); }
function linkTo() { throw new Error('linkTo() is not supported: Chronoscope projections build a read model only'); }
function log() { }
