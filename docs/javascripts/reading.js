// Previews of references and notes: hovering, focusing or tapping a citation or a
// note number shows the entry in a card next to it, so a reader need not leave the
// text. Material's note tooltips jump to the note list on a tap; here a tap opens the
// card and a second tap follows the link. Escape, a tap outside, or leaving both
// link and card closes it (WCAG 1.4.13). Without JavaScript the links still work.
(() => {
  const TRIGGER = 'a[role="doc-biblioref"][href*="#"], a.footnote-ref[href*="#"]';
  const preview = document.createElement("div");
  preview.id = "reading-preview";
  preview.className = "reading-preview";
  preview.setAttribute("role", "dialog");

  let trigger = null; // the link whose card is open
  let pinned = false; // opened by a tap: stays until dismissed
  let hovered = false; // the pointer is on the link or the card
  let suppressed = null; // closed with Escape: not reopened until left
  let press = null; // the last pointerdown: which link, what pointer, was it open
  let openTimer = 0;
  let closeTimer = 0;

  const inside = (node) =>
    !!node && !!trigger && (trigger.contains(node) || preview.contains(node));

  // The entry a link points at, if it is a preview link to this very page.
  const entryOf = (link) => {
    if (link.origin + link.pathname + link.search !==
        location.origin + location.pathname + location.search) return null;
    let id = link.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (error) { /* keep it as written */ }
    return id ? document.getElementById(id) : null;
  };

  const linkFrom = (node) => {
    const link = node && node.closest ? node.closest(TRIGGER) : null;
    return link && !preview.contains(link) && entryOf(link) ? link : null;
  };

  const place = () => {
    if (!trigger) return;
    const root = document.documentElement;
    const width = root.clientWidth;
    const height = root.clientHeight;
    const rects = trigger.getClientRects();
    if (!rects.length) return close();
    const first = rects[0];
    const last = rects[rects.length - 1];
    const scrolled = preview.scrollTop;
    preview.style.maxWidth = `min(28rem, ${width - 16}px)`;
    preview.style.maxHeight = "";
    const gap = 6;
    const below = height - last.bottom - gap - 8;
    const above = first.top - gap - 8;
    let box = preview.offsetHeight;
    const under = box <= below || below >= above;
    const room = Math.max(under ? below : above, 96);
    if (box > room) {
      preview.style.maxHeight = `${room}px`;
      box = preview.offsetHeight;
    }
    const card = preview.offsetWidth;
    const centre = (last.left + last.right) / 2;
    const left = Math.max(8, Math.min(centre - card / 2, width - 8 - card));
    preview.style.left = `${Math.round(left)}px`;
    preview.style.top = `${Math.round(under ? last.bottom + gap : first.top - gap - box)}px`;
    preview.scrollTop = scrolled;
  };

  const close = () => {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (!trigger) return;
    trigger.removeAttribute("aria-expanded");
    trigger.removeAttribute("aria-controls");
    preview.remove();
    trigger = null;
    pinned = false;
    hovered = false;
  };

  const open = (link) => {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (link === trigger) return;
    close();
    const entry = entryOf(link);
    const note = link.matches(".footnote-ref");
    const body = document.createElement("div");
    body.className = "reading-preview__body";
    entry.childNodes.forEach((child) => body.append(child.cloneNode(true)));
    body.querySelectorAll(".footnote-backref, .reference-backref").forEach((a) => a.remove());
    body.querySelectorAll("[id]").forEach((node) => node.removeAttribute("id"));
    const go = document.createElement("a");
    go.className = "reading-preview__go";
    go.href = `#${entry.id}`;
    go.textContent = note ? "Go to the note" : "Go to the reference list";
    const foot = document.createElement("p");
    foot.className = "reading-preview__foot";
    foot.append(go);
    preview.replaceChildren(body, foot);
    preview.setAttribute("aria-label", note ? "Note" : "Reference");
    // Next to the link in the document, so Tab goes from the link into the card.
    link.after(preview);
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", preview.id);
    trigger = link;
    place();
  };

  const settle = () => {
    if (trigger && !pinned && !hovered && !inside(document.activeElement)) close();
  };

  document.addEventListener("pointerover", (event) => {
    if (event.pointerType === "touch") return;
    if (suppressed && !suppressed.contains(event.target)) suppressed = null;
    const link = linkFrom(event.target);
    if (link && link === trigger) {
      hovered = true;
      clearTimeout(closeTimer);
    } else if (link && link !== suppressed) {
      clearTimeout(openTimer);
      openTimer = setTimeout(() => { open(link); hovered = true; }, 100);
    } else if (trigger && preview.contains(event.target)) {
      hovered = true;
      clearTimeout(closeTimer);
    }
  });

  document.addEventListener("pointerout", (event) => {
    if (event.pointerType === "touch") return;
    const to = event.relatedTarget;
    const link = linkFrom(event.target);
    if (link && !link.contains(to)) clearTimeout(openTimer);
    if (inside(event.target) && !inside(to)) {
      hovered = false;
      clearTimeout(closeTimer);
      closeTimer = setTimeout(settle, 300);
    }
  });

  // Keyboard focus opens the card; a click's or a tap's focus leaves it to them.
  const keyboardFocus = (link) => {
    try { return link.matches(":focus-visible"); } catch (error) { return true; }
  };
  document.addEventListener("focusin", (event) => {
    const link = linkFrom(event.target);
    if (link && link !== trigger && link !== suppressed && keyboardFocus(link)) open(link);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target === suppressed) suppressed = null;
    // After the focus has landed: a window losing focus keeps document.activeElement.
    setTimeout(() => {
      if (trigger && !hovered && !inside(document.activeElement)) close();
    }, 0);
  });

  document.addEventListener("pointerdown", (event) => {
    const link = linkFrom(event.target);
    press = { link, type: event.pointerType, open: !!link && link === trigger };
    if (trigger && !inside(event.target)) close();
  }, true);

  document.addEventListener("click", (event) => {
    if (trigger && preview.contains(event.target) && event.target.closest("a[href]")) {
      // Closed after the browser has followed the link: a detached link goes nowhere.
      setTimeout(close, 0);
      return;
    }
    const link = linkFrom(event.target);
    if (!link) return;
    const pointer = event.pointerType || (press && press.link === link ? press.type : "");
    const tap = event.detail !== 0 && pointer === "touch";
    if (tap && !(press && press.link === link && press.open)) {
      // The first tap shows the card where the reader is: no jump, no scroll.
      event.preventDefault();
      open(link);
      pinned = true;
    } else {
      close();
    }
    press = null;
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !trigger) return;
    const link = trigger;
    const focusWasInCard = preview.contains(document.activeElement);
    suppressed = link;
    // Focus in the card goes back to the link before the card goes.
    if (focusWasInCard) link.focus({ preventScroll: true });
    close();
  });

  let frame = 0;
  const follow = (event) => {
    // A long note scrolling inside the card does not move the card.
    if (!trigger || frame || (event.target instanceof Node && preview.contains(event.target))) return;
    frame = requestAnimationFrame(() => { frame = 0; place(); });
  };
  window.addEventListener("scroll", follow, { capture: true, passive: true });
  window.addEventListener("resize", follow, { passive: true });
})();
