//! A delaying TCP forwarder: the network delay between two nodes on one machine, whose kernel
//! has no `netem`.
//!
//! A link listens on a loopback address; each connection it accepts is forwarded to the target
//! node from a distinct source address, and every chunk read in either direction is written on
//! after the link's delay, in order. The source address tells a proxied connection from a
//! direct one ([`crate::network`] checks that the nodes make none).

use std::{
	io,
	net::{IpAddr, SocketAddr},
	time::Duration,
};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::{
		tcp::{OwnedReadHalf, OwnedWriteHalf},
		TcpListener, TcpSocket, TcpStream,
	},
	sync::mpsc,
	time::{sleep_until, Instant},
};

/// The most bytes one read forwards as a chunk.
const CHUNK: usize = 64 * 1024;

/// Forwards every connection `listener` accepts to `target`, dialling from `source`, with
/// `delay` added to each direction. Runs until its task is dropped.
pub async fn serve(listener: TcpListener, target: SocketAddr, source: IpAddr, delay: Duration) {
	loop {
		let Ok((inbound, _)) = listener.accept().await else { continue };
		tokio::spawn(async move {
			if let Ok(outbound) = connect_from(source, target).await {
				forward(inbound, outbound, delay).await;
			}
		});
	}
}

/// A connection to `target` from the address `source`.
async fn connect_from(source: IpAddr, target: SocketAddr) -> io::Result<TcpStream> {
	let socket = TcpSocket::new_v4()?;
	socket.bind(SocketAddr::new(source, 0))?;
	socket.connect(target).await
}

/// Copies each direction of the pair with `delay`, until both directions end.
async fn forward(a: TcpStream, b: TcpStream, delay: Duration) {
	let _ = a.set_nodelay(true);
	let _ = b.set_nodelay(true);
	let (a_read, a_write) = a.into_split();
	let (b_read, b_write) = b.into_split();
	tokio::join!(pipe(a_read, b_write, delay), pipe(b_read, a_write, delay));
}

/// Reads chunks from `from` and writes each to `to` once `delay` has passed since it was read:
/// a fixed delay and first-in first-out, as on a link of that latency and ample bandwidth.
async fn pipe(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, delay: Duration) {
	let (sender, mut receiver) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
	let read = async move {
		let mut buffer = vec![0u8; CHUNK];
		while let Ok(read) = from.read(&mut buffer).await {
			if read == 0 || sender.send((Instant::now() + delay, buffer[..read].to_vec())).is_err()
			{
				break;
			}
		}
	};
	let write = async move {
		while let Some((due, chunk)) = receiver.recv().await {
			sleep_until(due).await;
			if to.write_all(&chunk).await.is_err() {
				break;
			}
		}
		let _ = to.shutdown().await;
	};
	tokio::join!(read, write);
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::net::Ipv4Addr;

	/// An echo server on `127.0.0.1`, and the source address of the last connection it took.
	async fn echo() -> (SocketAddr, mpsc::UnboundedReceiver<SocketAddr>) {
		let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
		let address = listener.local_addr().unwrap();
		let (peers, seen) = mpsc::unbounded_channel();
		tokio::spawn(async move {
			while let Ok((mut stream, peer)) = listener.accept().await {
				let _ = peers.send(peer);
				tokio::spawn(async move {
					let (mut read, mut write) = stream.split();
					let _ = tokio::io::copy(&mut read, &mut write).await;
				});
			}
		});
		(address, seen)
	}

	#[tokio::test]
	async fn the_link_delivers_every_byte_in_order_from_its_source_after_its_delay() {
		let (target, mut peers) = echo().await;
		let listener = TcpListener::bind((Ipv4Addr::new(127, 0, 0, 2), 0)).await.unwrap();
		let link = listener.local_addr().unwrap();
		let source = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3));
		let delay = Duration::from_millis(20);
		let proxy = tokio::spawn(serve(listener, target, source, delay));

		let mut client = TcpStream::connect(link).await.unwrap();
		let message: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
		let started = Instant::now();
		let (mut read, mut write) = client.split();
		let sent = async {
			for piece in message.chunks(7_000) {
				write.write_all(piece).await.unwrap();
			}
		};
		let mut echoed = vec![0u8; message.len()];
		let received = read.read_exact(&mut echoed);
		let (_, received) = tokio::join!(sent, received);
		received.unwrap();
		// There and back: the delay twice, at least.
		assert!(started.elapsed() >= delay * 2);
		assert_eq!(echoed, message);
		assert_eq!(peers.recv().await.unwrap().ip(), source);
		proxy.abort();
	}
}
