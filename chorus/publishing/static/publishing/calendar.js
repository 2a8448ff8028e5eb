// The content calendar: FullCalendar on the viewer's wall clock, filters, and drops that
// reschedule a post on the server (chorus/publishing/calendar/).
//
// Time zones: FullCalendar gets the viewer's IANA zone and no time-zone plugin, so it
// runs in "UTC-coercion" mode: the feed sends wall times without offsets, FullCalendar
// places them as they are, and every Date it hands back carries the wall time in its
// UTC fields (hence getUTC* below). All offset arithmetic happens on the server with
// zoneinfo, so the browser's own zone never matters.
(() => {
  "use strict";

  const root = document.getElementById("calendar");
  const configNode = document.getElementById("calendar-config");
  if (!root || !configNode || !window.FullCalendar) return;
  const config = JSON.parse(configNode.textContent);
  const text = config.text;
  const form = document.getElementById("calendar-filters");
  const status = document.getElementById("calendar-status");
  const csrf = root.dataset.csrf;
  const viewNames = Object.fromEntries(Object.entries(config.views).map(([k, v]) => [v, k]));

  const pad = (n) => String(n).padStart(2, "0");
  const wallDate = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const wallTime = (d) => `${wallDate(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

  // FullCalendar would take "now" from UTC in this mode; "today" must be the viewer's.
  const clock = new Intl.DateTimeFormat("en-US", {
    timeZone: config.timeZone, hourCycle: "h23", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  function wallNow() {
    const p = Object.fromEntries(clock.formatToParts(new Date()).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
  }

  function say(message, kind, choices) {
    status.replaceChildren();
    if (!message) return;
    const p = document.createElement("p");
    p.className = `flash flash-${kind}`;
    p.textContent = message;
    for (const choice of choices || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button-small button-secondary calendar-choice";
      button.textContent = choice.label;
      button.addEventListener("click", choice.act);
      p.append(" ", button);
    }
    status.append(p);
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch {
      return null; // a login page or proxy error instead of the feed's JSON
    }
  }

  function filterParams() {
    const params = new URLSearchParams();
    for (const name of ["account", "campaign", "tag"]) {
      const value = form.elements[name].value;
      if (value) params.set(name, value);
    }
    for (const box of form.querySelectorAll('input[name="state"]:checked')) {
      params.append("state", box.value);
    }
    return params;
  }

  // Keep the address bar in step, so a reload or a shared link opens the same view.
  function remember() {
    const view = viewNames[calendar.view.type] || "month";
    const day = wallDate(calendar.getDate());
    form.elements.view.value = view;
    form.elements.date.value = day;
    const params = filterParams();
    params.set("view", view);
    params.set("date", day);
    history.replaceState(null, "", `${location.pathname}?${params}`);
  }

  function loadEvents(info, success, failure) {
    const params = filterParams();
    params.set("start", info.startStr);
    params.set("end", info.endStr);
    params.set("timeZone", config.timeZone);
    fetch(`${config.feedUrl}?${params}`, {
      headers: { Accept: "application/json" }, credentials: "same-origin",
    }).then(async (response) => {
      const body = await readJson(response);
      if (!response.ok || !Array.isArray(body)) {
        throw new Error((body && body.detail) || text.loadFailed);
      }
      success(body);
    }).catch((error) => {
      say(error.message || text.loadFailed, "error");
      failure(error);
    });
  }

  function mark(network) {
    const span = document.createElement("span");
    span.className = `calendar-network calendar-network--${network.network}`;
    span.textContent = network.mark;
    span.title = `${network.handle} (${network.network})`;
    return span;
  }

  function renderEvent(arg) {
    const props = arg.event.extendedProps;
    const box = document.createElement("span");
    box.className = "calendar-event-body";
    const marks = document.createElement("span");
    marks.className = "calendar-networks";
    marks.append(...(props.networks || []).map(mark));
    box.append(marks);
    if (arg.timeText && !arg.view.type.startsWith("list")) {
      const time = document.createElement("span");
      time.className = "calendar-time";
      time.textContent = arg.timeText;
      box.append(time);
    }
    const title = document.createElement("span");
    title.className = "calendar-title";
    title.textContent = arg.event.title;
    box.append(title);
    return { domNodes: [box] };
  }

  function describe(info) {
    const props = info.event.extendedProps;
    const el = info.el;
    el.dataset.postId = info.event.id;
    el.dataset.state = props.state;
    const handles = (props.networks || []).map((n) => n.handle).join(", ");
    el.title = `${props.stateLabel} · ${info.timeText} · ${info.event.title} · ${handles}`;
  }

  async function send(url, body, revert) {
    say(text.moving, "info");
    let response;
    let data;
    try {
      response = await fetch(url, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      data = await readJson(response);
    } catch {
      if (revert) revert();
      say(text.offline, "error");
      return;
    }
    if (response.ok && data) {
      say(data.detail, "success");
      calendar.refetchEvents();
      return;
    }
    if (revert) revert();
    const problem = data && data.problems && data.problems[0];
    if (problem && problem.code === "ambiguous_time") {
      // The clocks show that time twice: ask which one, then send the drop again.
      const again = (fold) => () => {
        body.set("fold", fold);
        send(url, body, null);
      };
      say(data.detail, "warning", [
        { label: text.first, act: again("0") },
        { label: text.second, act: again("1") },
      ]);
      return;
    }
    say((data && data.detail) || text.moveFailed, "error");
  }

  function dropped(info) {
    const body = new URLSearchParams({ timeZone: config.timeZone });
    const delta = info.delta;
    // Whole days: same time of day in the post's own zone. Otherwise a new time.
    if (delta.milliseconds === 0) body.set("date", wallDate(info.event.start));
    else body.set("local", wallTime(info.event.start));
    send(info.event.extendedProps.moveUrl, body, info.revert);
  }

  const calendar = new FullCalendar.Calendar(root, {
    timeZone: config.timeZone,
    now: wallNow,
    locale: {
      code: config.locale,
      buttonText: { today: text.today, month: text.month, week: text.week, list: text.list },
      allDayText: text.allDay,
      moreLinkText: text.more,
      noEventsText: text.noEvents,
    },
    initialView: config.initialView,
    initialDate: config.initialDate || undefined,
    headerToolbar: {
      left: "prev,next today",
      center: "title",
      right: `${config.views.month},${config.views.week},${config.views.list}`,
    },
    height: "auto",
    nowIndicator: true,
    allDaySlot: false,
    dayMaxEvents: true,
    eventDisplay: "block", // coloured by status in every view, not a dot
    editable: false, // each event says whether it may be dragged
    eventDurationEditable: false,
    defaultTimedEventDuration: "00:30",
    displayEventEnd: false,
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    events: loadEvents,
    eventContent: renderEvent,
    eventDidMount: describe,
    eventDrop: dropped,
    datesSet: remember,
  });
  calendar.render();
  root.dataset.ready = "true";

  form.addEventListener("change", (event) => {
    if (event.target.name === "workspace") {
      form.submit(); // the server opens that workspace's calendar
      return;
    }
    remember();
    calendar.refetchEvents();
  });
  form.addEventListener("submit", (event) => {
    if (event.submitter && form.elements.workspace.value === form.dataset.workspace) {
      event.preventDefault();
      remember();
      calendar.refetchEvents();
    }
  });
  form.dataset.workspace = form.elements.workspace.value;
})();
