# Packaging and image targets; the top-level Makefile does `include deploy/deploy.mk`.
# make deb         dist/antri_<version>_{arm64,armhf,amd64}.deb (Go, dpkg-deb)
# make image       dist/antri-<version>-arm64.img, as root (mmdebstrap, qemu-user-static,
#                  binfmt-support, dosfstools, mtools, fdisk, e2fsprogs); ~1 h on 2 cores
# make image-test  boot the newest dist/antri-*-arm64.img under qemu-system-aarch64
#                  (kernel and initrd from dist/image) and wait for /healthz
# VERSION=1.2.3 overrides `git describe`.
.PHONY: deb image image-test

deb:
	VERSION=$(VERSION) sh deploy/deb/build.sh arm64 armhf amd64

image:
	VERSION=$(VERSION) sh deploy/deb/build.sh arm64
	ANTRI_DEB=$$(ls -t dist/antri_*_arm64.deb | head -n1) sh deploy/image/build.sh

image-test:
	sh deploy/image/boot-test.sh

# make rpios-test  the Raspberry Pi OS route (antri-setup) on a Debian trixie arm64
#                  stand-in: mmdebstrap, antri-setup in the chroot, then a
#                  qemu-system-aarch64 boot; as root, with the network (deploy/README.md)
.PHONY: rpios-test
rpios-test:
	sh deploy/rpios/qemu-test.sh
