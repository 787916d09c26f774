// expect: js-eval
function scheduleRefresh(widgetId, seconds) {
  setTimeout("refreshWidget('" + widgetId + "')", seconds * 1000);
}
