function scheduleRefresh(widgetId, seconds) {
  setTimeout(() => refreshWidget(widgetId), seconds * 1000);
}

module.exports = { scheduleRefresh };
