canExecutePhase() {
  return hasContext('db.url');
}
