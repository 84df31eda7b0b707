// The few things Discover needs the browser for: its time zone, the "/" shortcut, noticing that the reader scrolled
// away from the newest lines (the live tail pauses), and dragging over the histogram to zoom. Everything else runs in
// the circuit. Each attach function returns a handle whose dispose() removes its listeners, and marks its element
// (data-shortcut, data-watching, data-brush) so that one can tell it is listening.

export function timeZone() {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch {
        return "UTC";
    }
}

function typingIn(target) {
    return target instanceof HTMLElement
        && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

// "/" (when not typing elsewhere) or Ctrl+/ (anywhere) focuses the query input, as in Kibana.
export function focusShortcut(input) {
    const onKey = (e) => {
        if (e.key !== "/" || e.altKey) {
            return;
        }

        const withModifier = e.ctrlKey || e.metaKey;
        if (!withModifier && typingIn(e.target)) {
            return;
        }

        e.preventDefault();
        input.focus();
        input.select();
    };
    document.addEventListener("keydown", onKey);
    input.dataset.shortcut = "on";
    return { dispose: () => document.removeEventListener("keydown", onKey) };
}

// Tells the circuit when the scroll container leaves (or comes back to) its top; only changes are reported.
export function watchScroll(element, dotnet, threshold) {
    let away = element.scrollTop > threshold;
    const onScroll = () => {
        const now = element.scrollTop > threshold;
        if (now !== away) {
            away = now;
            dotnet.invokeMethodAsync("OnScrolledAwayAsync", away);
        }
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    element.dataset.watching = "on";
    return {
        dispose: () => element.removeEventListener("scroll", onScroll),
        toTop: () => element.scrollTo({ top: 0 }),
    };
}

// Drag across the plot to select a range; the circuit gets the two edges as shares of the plot's width.
export function attachBrush(plot, dotnet) {
    // Rendered by the component (so a re-render never drops it); only its position and visibility change here.
    const brush = plot.querySelector(".log-histogram-brush");
    let start = null;

    const share = (e) => {
        const box = plot.getBoundingClientRect();
        return box.width === 0 ? 0 : Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    };
    const draw = (a, b) => {
        brush.style.left = `${Math.min(a, b) * 100}%`;
        brush.style.width = `${Math.abs(b - a) * 100}%`;
        brush.hidden = false;
    };
    const down = (e) => {
        if (e.button !== 0 || e.target.closest("a")) {
            return;
        }

        start = share(e);
        plot.setPointerCapture(e.pointerId);
        draw(start, start);
        e.preventDefault();
    };
    const move = (e) => {
        if (start !== null) {
            draw(start, share(e));
        }
    };
    const up = (e) => {
        if (start === null) {
            return;
        }

        const end = share(e);
        const from = start;
        start = null;
        brush.hidden = true;
        if (plot.hasPointerCapture(e.pointerId)) {
            plot.releasePointerCapture(e.pointerId);
        }

        dotnet.invokeMethodAsync("OnBrushedAsync", from, end);
    };
    const cancel = () => {
        start = null;
        brush.hidden = true;
    };

    plot.addEventListener("pointerdown", down);
    plot.addEventListener("pointermove", move);
    plot.addEventListener("pointerup", up);
    plot.addEventListener("pointercancel", cancel);
    plot.dataset.brush = "on";
    return {
        dispose: () => {
            plot.removeEventListener("pointerdown", down);
            plot.removeEventListener("pointermove", move);
            plot.removeEventListener("pointerup", up);
            plot.removeEventListener("pointercancel", cancel);
        },
    };
}
