// Command otherboard stands for an antrid built for another board (make build-pi
// on a release manager's laptop): a Go binary of another architecture, which the
// signing machine cannot ask what it is. It says nothing even where it can run.
package main

func main() {}
