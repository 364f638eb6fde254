module stack-elevator.invalid/examples/hello-arm

go 1.22
