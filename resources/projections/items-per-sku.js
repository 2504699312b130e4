// Items per SKU in the sample shop: how many were put into carts, taken out again, and sold
// (in confirmed carts). Read model: { "SKU": { added, removed, sold } }.
options({ resultStreamName: 'items-per-sku' });

function sku(state, code) {
    if (!state[code])
        state[code] = { added: 0, removed: 0, sold: 0 };
    return state[code];
}

fromCategory('cart')
    .when({
        $init: function () { return {}; },
        ItemAdded: function (state, e) {
            sku(state, e.data.sku).added += e.data.quantity;
        },
        ItemRemoved: function (state, e) {
            sku(state, e.data.sku).removed += e.data.quantity;
        },
        CartConfirmed: function (state, e) {
            e.data.items.forEach(function (item) {
                sku(state, item.sku).sold += item.quantity;
            });
        }
    })
    .outputState();
