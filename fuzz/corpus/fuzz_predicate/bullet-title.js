canExecutePhase() { return hasContext('release.branch'); }
