// Package e2e is the emulated Raspberry Pi test of the SD image (`make
// image-e2e`): the real image boots under qemu-system-aarch64 with a
// test-only overlay (the gpio-sim kernel module built for the image's exact
// kernel, a USB printer gadget on dummy_hcd, and the antri-e2e-agent in
// ./agent) and the tests, built with the e2e tag, drive a scripted office
// morning, power cuts and a wrong clock from the host. See deploy/README.md,
// "Emulated board test".
package e2e
