// Package deploy holds the example config (ExampleConfig, which `antrid -demo`
// runs with) and is where Antri's
// systemd units, udev rules, Debian packaging (deb/build.sh), first-boot
// provisioning (firstboot/) and SD image build (image/) live, and its tests
// check them with the real tools (systemd-analyze, dpkg, the shell scripts).
// See README.md for the technician's guide.
package deploy
