// Orders of the sample shop by their current status, and the amount paid so far.
// Read model: { "counts": { "placed": n, "paid": n, "shipped": n, "cancelled": n },
//               "orders": { "order-1": { "status": "paid", "total": 1250, "paid": 1250 } } }
fromCategory('order')
    .when({
        $init: function () {
            return { counts: { placed: 0, paid: 0, shipped: 0, cancelled: 0 }, orders: {} };
        },
        $any: function (state, e) {
            var next = { OrderPlaced: 'placed', OrderPaid: 'paid', OrderShipped: 'shipped',
                         OrderCancelled: 'cancelled' }[e.eventType];
            if (!next)
                return;
            var order = state.orders[e.streamId];
            if (!order) {
                order = state.orders[e.streamId] = { status: next, total: e.data.total || 0, paid: 0 };
            } else {
                state.counts[order.status] -= 1;
                // A part payment leaves the order placed until it is paid in full.
                if (next !== 'paid' || order.paid + e.data.amount >= order.total)
                    order.status = next;
            }
            if (e.eventType === 'OrderPaid')
                order.paid += e.data.amount;
            state.counts[order.status] += 1;
            return state;
        }
    });
