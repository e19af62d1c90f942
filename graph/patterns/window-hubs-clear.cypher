// window-hubs-clear: forget the hubs of the last scan of a window.
MATCH (n:{{hub}})
CALL (n) { REMOVE n:{{hub}} } IN TRANSACTIONS OF 10000 ROWS
