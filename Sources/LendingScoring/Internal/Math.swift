#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline @inline(__always)
func _exp(_ x: Double) -> Double { exp(x) }

@usableFromInline @inline(__always)
func _log(_ x: Double) -> Double { log(x) }
