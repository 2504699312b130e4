// CartOpened v1 -> v2: carts now record where they were opened (web, app or store). Every cart
// opened before the app existed was opened on the web shop.
var upcasters = [{ type: 'CartOpened', from: 1, to: 2 }];

function upcast(event) {
  return Object.assign({ channel: 'web' }, event.data);
}
