// AntriKeyboard: the on-screen keyboard of the kiosk, which has no keyboard of its own.
// Letters in the QWERTY layout Indonesian keyboards use, digits and the punctuation a
// complaint needs; a number pad for a phone number or an age. It types into the field
// it is bound to (inputmode="none", so a tablet's own keyboard stays down), at the
// caret, and sends "input" events like typing does.
'use strict';
const AntriKeyboard = (() => {
  const layouts = {
    text: [
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'back'],
      ['q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p'],
      ['a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', "'"],
      ['shift', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '?'],
      ['-', '/', '@', 'space', '!', ':'],
    ],
    number: [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['+', '0', 'back']],
  };

  // create builds a keyboard in host. bind(field, layout) makes it type into field
  // whenever field has the focus; layout is "text" (letters), "upper" (letters typed as
  // capitals: a ticket number) or "number". It returns {bind, show(field)}.
  function create(host, t) {
    const box = document.createElement('div');
    box.className = 'kb';
    box.setAttribute('role', 'group');
    host.append(box);
    let field = null;
    let layout = '';
    let shift = false;

    function label(k) {
      switch (k) {
        case 'back': return '⌫';
        case 'shift': return '⇧';
        case 'space': return t('kb.space');
        default: return shift || layout === 'upper' ? k.toUpperCase() : k;
      }
    }

    function render() {
      const rows = layout === 'number' ? layouts.number : layouts.text;
      box.dataset.layout = layout === 'number' ? 'number' : 'text';
      box.replaceChildren(...rows.map((row) => {
        const r = document.createElement('div');
        r.className = 'kb-row';
        for (const k of row) {
          const b = document.createElement('button');
          b.type = 'button';
          b.tabIndex = -1;
          b.className = 'kb-key kb-' + (k.length > 1 ? k : 'char');
          b.dataset.key = k;
          b.textContent = label(k);
          if (k === 'back') b.setAttribute('aria-label', t('kb.back'));
          if (k === 'shift') b.setAttribute('aria-pressed', String(shift));
          r.append(b);
        }
        return r;
      }));
    }

    // type puts s in place of the field's selection, as a keystroke would.
    function type(s) {
      if (!field) return;
      const v = field.value;
      let a = field.selectionStart ?? v.length;
      let b = field.selectionEnd ?? v.length;
      if (s === null) { // backspace
        if (a === b && a > 0) a--;
        s = '';
      }
      const max = field.maxLength > 0 ? field.maxLength : Infinity;
      if (v.length - (b - a) + s.length > max) return;
      field.value = v.slice(0, a) + s + v.slice(b);
      field.setSelectionRange(a + s.length, a + s.length);
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }

    // A sentence starts with a capital: after nothing, or after ". ", "? ", "! " or a new line.
    function autoShift() {
      if (!field || layout !== 'text') return false;
      const before = field.value.slice(0, field.selectionStart ?? field.value.length);
      return before === '' || /[.?!]\s$|\n$/.test(before);
    }

    // Keys keep the focus in the field (mousedown would move it to the key).
    box.addEventListener('mousedown', (e) => e.preventDefault());
    box.addEventListener('click', (e) => {
      const key = e.target.closest('.kb-key');
      if (!key || !field) return;
      const k = key.dataset.key;
      if (k === 'shift') { shift = !shift; render(); return; }
      if (k === 'back') type(null);
      else if (k === 'space') type(' ');
      else type(shift || layout === 'upper' ? k.toUpperCase() : k);
      if (shift && k !== 'back') shift = false;
      if (layout === 'text' && autoShift()) shift = true;
      render();
      field.focus();
    });

    function show(f) {
      field = f;
      layout = f.dataset.kb || 'text';
      shift = autoShift();
      render();
    }

    function bind(f, kind) {
      f.dataset.kb = kind;
      f.setAttribute('inputmode', 'none');
      f.addEventListener('focus', () => show(f));
    }

    return { bind, show, el: box };
  }

  return { create };
})();
