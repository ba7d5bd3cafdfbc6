module github.com/werun/werun/bindings/go

go 1.19
