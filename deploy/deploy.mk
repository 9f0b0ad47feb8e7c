# Packaging and image targets; the top-level Makefile does `include deploy/deploy.mk`.
# make deb         dist/antri_<version>_{arm64,armhf,amd64}.deb (Go, dpkg-deb)
# make image       dist/antri-<version>-arm64.img, as root (mmdebstrap, qemu-user-static,
#                  binfmt-support, dosfstools, mtools, fdisk, e2fsprogs); ~1 h on 2 cores
# make image-test  boot the newest dist/antri-*-arm64.img under qemu-system-aarch64
#                  (kernel and initrd from dist/image) and wait for /healthz
# make image-e2e   the emulated board test (deploy/image/e2e): builds the image
#                  first when dist/ has none, boots it under qemu-system-aarch64
#                  with a test-only overlay (gpio-sim, USB printer gadget) and
#                  runs the office morning with the kiosk screen, power cuts,
#                  the wrong clock and the update cycle; .ci/run runs it
# make image-e2e-quick  a short local check: the office morning without the
#                  kiosk screen (buttons and printer through the kernel),
#                  one power cut during first boot and one while issuing,
#                  and the fleet update cycle under the board's systemd
# VERSION=1.2.3 overrides `git describe`.
.PHONY: deb image image-test image-e2e image-e2e-quick image-present

deb:
	VERSION=$(PKG_VERSION) sh deploy/deb/build.sh arm64 armhf amd64

image:
	VERSION=$(PKG_VERSION) sh deploy/deb/build.sh arm64
	ANTRI_DEB=$$(ls -t dist/antri_*_arm64.deb | head -n1) sh deploy/image/build.sh

image-test:
	sh deploy/image/boot-test.sh

image-present:
	@ls dist/antri-*-arm64.img >/dev/null 2>&1 && test -f dist/image/vmlinuz || $(MAKE) image

E2E_TEST = $(GO) test -tags e2e -count=1 -v ./deploy/image/e2e/

# .ci/run runs the whole drill (~30 min here): 50 min keeps a stuck run within
# CI's 90 minutes with make test and make image before it.
image-e2e: image-present
	$(GO) vet -tags e2e ./deploy/image/e2e/
	E2E_REQUIRED=1 $(E2E_TEST) -timeout 50m

image-e2e-quick: image-present
	$(GO) vet -tags e2e ./deploy/image/e2e/
	E2E_REQUIRED=1 E2E_QUICK=1 E2E_CUTS=1 $(E2E_TEST) -timeout 45m \
		-run 'TestImageOSUpdates|TestOfficeMorning|TestChaosPowerCut|TestImageUpdateCycle'

# make rpios-test  the Raspberry Pi OS route (antri-setup) on a Debian trixie arm64
#                  stand-in: mmdebstrap, antri-setup in the chroot, then a
#                  qemu-system-aarch64 boot; as root, with the network (deploy/README.md)
.PHONY: rpios-test
rpios-test:
	sh deploy/rpios/qemu-test.sh
