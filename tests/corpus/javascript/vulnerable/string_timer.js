// expect: js-string-timer
function scheduleRefresh(widgetId, seconds) {
  setTimeout("refreshWidget('" + widgetId + "')", seconds * 1000);
}
