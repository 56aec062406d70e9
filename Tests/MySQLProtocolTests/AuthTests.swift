import Testing
@testable import MySQLProtocol

@Suite struct AuthTests {
    let scramble: [UInt8] = Array("0123456789ABCDEFGHIJ".utf8)

    @Test func nativePasswordTokenOfTheRightPasswordVerifies() {
        let hashes = PasswordHashes(password: "s3cret")
        #expect(hashes.verifyNative(token: ClientScramble.native(password: "s3cret", scramble: scramble), scramble: scramble))
        #expect(!hashes.verifyNative(token: ClientScramble.native(password: "wrong", scramble: scramble), scramble: scramble))
        #expect(!hashes.verifyNative(token: [], scramble: scramble))
    }

    @Test func cachingSHA2FastPathTokenVerifies() {
        let hashes = PasswordHashes(password: "s3cret")
        #expect(hashes.verifyCachingSHA2(token: ClientScramble.cachingSHA2(password: "s3cret", scramble: scramble), scramble: scramble))
        #expect(!hashes.verifyCachingSHA2(token: ClientScramble.cachingSHA2(password: "nope", scramble: scramble), scramble: scramble))
    }

    @Test func storedNativeHashIsMySQLsDoubleSHA1() {
        // MySQL's PASSWORD('root') is *81F5E21E35407D884A6CD4A731AEBFB6AF209E1B.
        let hex = PasswordHashes(password: "root").native.map { String(format: "%02X", $0) }.joined()
        #expect(hex == "81F5E21E35407D884A6CD4A731AEBFB6AF209E1B")
    }
}

import Foundation
